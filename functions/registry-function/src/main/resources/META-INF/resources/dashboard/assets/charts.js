// Draws the model page's charts from the JSON each canvas carries in data-chart (written by the registry:
// {metric, labels, series: [{label, values}]}). Chart.js comes from its web jar; nothing is loaded from a CDN.
(function () {
  'use strict';
  // Colour-blind-safe palette (Okabe–Ito); the first line, the federation's, is drawn thicker.
  var COLOURS = ['#0b3c5d', '#e69f00', '#56b4e9', '#009e73', '#d55e00', '#cc79a7', '#f0e442', '#999999'];

  function draw(canvas) {
    var chart = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, i) {
          var colour = COLOURS[i % COLOURS.length];
          return {
            label: series.label,
            data: series.values,
            borderColor: colour,
            backgroundColor: colour,
            borderWidth: i === 0 ? 3 : 1.5,
            borderDash: i === 0 ? [] : [4, 3],
            spanGaps: true,
            tension: 0.2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: { title: { display: true, text: chart.metric } },
          x: { title: { display: true, text: 'global model' } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  document.querySelectorAll('canvas[data-chart]').forEach(draw);
})();
