package io.meshfl.mesh.report;

import java.util.List;

/**
 * An inline SVG grouped bar chart: one group per category (a domain, a round), one bar per series in each group.
 * Bars carry {@code data-category}, {@code data-series} and {@code data-value}.
 */
public record BarChart(String title, String yLabel, List<String> categories, List<Series> series, double yMax) {

    static final int WIDTH = 640;
    static final int HEIGHT = 300;
    static final int LEFT = 56;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 48;

    public BarChart {
        categories = List.copyOf(categories);
        series = List.copyOf(series);
        if (!(yMax > 0)) {
            yMax = 1;
        }
    }

    double barHeight(double value) {
        return Math.max(0, value) / yMax * (HEIGHT - TOP - BOTTOM);
    }

    public String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" aria-label=\"").append(Svg.escape(title)).append("\">");
        svg.append("<title>").append(Svg.escape(title)).append("</title>");
        int bottom = HEIGHT - BOTTOM;
        svg.append("<g class=\"axes\" stroke=\"#888\" font-size=\"11\" fill=\"#444\">");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(bottom).append("\"/>");
        double step = Svg.niceStep(yMax, 5);
        for (double y = 0; y <= yMax + step / 1e6; y += step) {
            String py = Svg.number(bottom - barHeight(y));
            svg.append("<line stroke=\"#eee\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(py).append("\" y2=\"").append(py).append("\"/>");
            svg.append("<text stroke=\"none\" text-anchor=\"end\" x=\"").append(LEFT - 6).append("\" y=\"").append(py)
                    .append("\" dy=\"4\">").append(Svg.tick(y, step)).append("</text>");
        }
        svg.append("<text stroke=\"none\" text-anchor=\"middle\" transform=\"rotate(-90)\" x=\"").append(-(TOP + bottom) / 2)
                .append("\" y=\"14\">").append(Svg.escape(yLabel)).append("</text></g>");
        double groupWidth = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, categories.size());
        double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double groupLeft = LEFT + c * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++) {
                Series current = series.get(s);
                double value = c < current.values().size() ? current.values().get(c) : Double.NaN;
                if (Double.isNaN(value)) {
                    continue;
                }
                double height = barHeight(value);
                svg.append("<rect class=\"bar\" x=\"").append(Svg.number(groupLeft + s * barWidth)).append("\" y=\"")
                        .append(Svg.number(bottom - height)).append("\" width=\"").append(Svg.number(barWidth))
                        .append("\" height=\"").append(Svg.number(height)).append("\" fill=\"").append(current.color())
                        .append("\" data-category=\"").append(Svg.escape(categories.get(c))).append("\" data-series=\"")
                        .append(Svg.escape(current.name())).append("\" data-value=\"").append(value).append("\"><title>")
                        .append(Svg.escape(current.name() + ", " + categories.get(c) + ": " + value)).append("</title></rect>");
            }
            svg.append("<text font-size=\"11\" text-anchor=\"middle\" x=\"").append(Svg.number(groupLeft + groupWidth * 0.4))
                    .append("\" y=\"").append(bottom + 16).append("\">").append(Svg.escape(categories.get(c))).append("</text>");
        }
        int x = LEFT + 8;
        svg.append("<g class=\"legend\" font-size=\"11\">");
        for (Series s : series) {
            svg.append("<rect x=\"").append(x).append("\" y=\"8\" width=\"10\" height=\"10\" fill=\"").append(s.color())
                    .append("\"/><text x=\"").append(x + 14).append("\" y=\"17\">").append(Svg.escape(s.name())).append("</text>");
            x += 24 + 7 * s.name().length();
        }
        return svg.append("</g></svg>").toString();
    }
}
