package io.meshfl.mesh.report;

import java.util.List;

/**
 * An inline SVG line chart over rounds 1…n: one polyline and one marker per point for each series. Every marker
 * carries {@code data-x} and {@code data-y} so a test (or a reader with dev tools) can check the plotted data.
 */
public record LineChart(String title, String yLabel, List<Integer> xs, List<Series> series, double yMin, double yMax) {

    static final int WIDTH = 640;
    static final int HEIGHT = 300;
    static final int LEFT = 56;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 40;

    public LineChart {
        xs = List.copyOf(xs);
        series = List.copyOf(series);
        if (!(yMax > yMin)) {
            yMax = yMin + 1;
        }
    }

    double xPosition(double x) {
        double first = xs.get(0);
        double last = xs.get(xs.size() - 1);
        double plotWidth = WIDTH - LEFT - RIGHT;
        return last == first ? LEFT + plotWidth / 2 : LEFT + (x - first) / (last - first) * plotWidth;
    }

    double yPosition(double y) {
        double plotHeight = HEIGHT - TOP - BOTTOM;
        return TOP + (yMax - y) / (yMax - yMin) * plotHeight;
    }

    public String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" aria-label=\"").append(Svg.escape(title)).append("\">");
        svg.append("<title>").append(Svg.escape(title)).append("</title>");
        if (xs.isEmpty()) {
            svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\">no rounds yet</text></svg>");
            return svg.toString();
        }
        axes(svg);
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            StringBuilder markers = new StringBuilder();
            for (int i = 0; i < xs.size() && i < s.values().size(); i++) {
                double value = s.values().get(i);
                if (Double.isNaN(value)) {
                    continue;
                }
                String px = Svg.number(xPosition(xs.get(i)));
                String py = Svg.number(yPosition(value));
                points.append(px).append(',').append(py).append(' ');
                markers.append("<circle class=\"point\" cx=\"").append(px).append("\" cy=\"").append(py)
                        .append("\" r=\"3\" fill=\"").append(s.color()).append("\" data-x=\"").append(xs.get(i))
                        .append("\" data-y=\"").append(value).append("\"><title>").append(Svg.escape(s.name()))
                        .append(", round ").append(xs.get(i)).append(": ").append(value).append("</title></circle>");
            }
            svg.append("<g class=\"series\" data-name=\"").append(Svg.escape(s.name())).append("\">")
                    .append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color()).append("\" points=\"")
                    .append(points.toString().trim()).append("\"/>").append(markers).append("</g>");
        }
        legend(svg);
        return svg.append("</svg>").toString();
    }

    private void axes(StringBuilder svg) {
        int bottom = HEIGHT - BOTTOM;
        svg.append("<g class=\"axes\" stroke=\"#888\" font-size=\"11\" fill=\"#444\">");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(bottom).append("\"/>");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(bottom).append("\"/>");
        double step = Svg.niceStep(yMax - yMin, 5);
        for (double y = Math.ceil(yMin / step) * step; y <= yMax + step / 1e6; y += step) {
            String py = Svg.number(yPosition(y));
            svg.append("<line stroke=\"#eee\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(py).append("\" y2=\"").append(py).append("\"/>");
            svg.append("<text stroke=\"none\" text-anchor=\"end\" x=\"").append(LEFT - 6).append("\" y=\"").append(py)
                    .append("\" dy=\"4\">").append(Svg.tick(y, step)).append("</text>");
        }
        int every = Math.max(1, (int) Math.ceil(xs.size() / 20.0));
        for (int i = 0; i < xs.size(); i += every) {
            svg.append("<text stroke=\"none\" text-anchor=\"middle\" x=\"").append(Svg.number(xPosition(xs.get(i))))
                    .append("\" y=\"").append(bottom + 16).append("\">").append(xs.get(i)).append("</text>");
        }
        svg.append("<text stroke=\"none\" text-anchor=\"middle\" x=\"").append((LEFT + WIDTH - RIGHT) / 2)
                .append("\" y=\"").append(HEIGHT - 6).append("\">round</text>");
        svg.append("<text stroke=\"none\" text-anchor=\"middle\" transform=\"rotate(-90)\" x=\"").append(-(TOP + bottom) / 2)
                .append("\" y=\"14\">").append(Svg.escape(yLabel)).append("</text>");
        svg.append("</g>");
    }

    private void legend(StringBuilder svg) {
        int x = LEFT + 8;
        svg.append("<g class=\"legend\" font-size=\"11\">");
        for (Series s : series) {
            svg.append("<rect x=\"").append(x).append("\" y=\"8\" width=\"10\" height=\"10\" fill=\"").append(s.color())
                    .append("\"/><text x=\"").append(x + 14).append("\" y=\"17\">").append(Svg.escape(s.name())).append("</text>");
            x += 24 + 7 * s.name().length();
        }
        svg.append("</g>");
    }
}
