package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Plural;
import io.archiveguardian.guardian.watch.UsagePoint;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** A small inline SVG of a filesystem's used share over time: no script, scales to the page width. */
final class UsageChart {

    static final int WIDTH = 300;
    static final int HEIGHT = 64;

    private UsageChart() {
    }

    static String svg(String id, List<UsagePoint> points) {
        StringBuilder svg = new StringBuilder(256 + 16 * points.size());
        String label = label(points);
        svg.append("<svg class=\"chart\" id=\"").append(StatusPage.esc(id)).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT).append("\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                .append(StatusPage.esc(label)).append("\"><title>").append(StatusPage.esc(label)).append("</title>");
        for (int pct = 25; pct < 100; pct += 25) {
            double y = y(pct / 100.0);
            svg.append(String.format(Locale.ROOT, "<line x1=\"0\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", WIDTH, y, y));
        }
        if (!points.isEmpty()) {
            String line = line(points);
            svg.append("<polygon class=\"area\" points=\"0,").append(HEIGHT).append(' ').append(line).append(' ')
                    .append(WIDTH).append(',').append(HEIGHT).append("\"/>");
            svg.append("<polyline class=\"used\" points=\"").append(line).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    /** Points across the full width; a single point is drawn as a flat line. */
    private static String line(List<UsagePoint> points) {
        StringBuilder out = new StringBuilder();
        if (points.size() == 1) {
            double y = y(points.get(0).usedRatio());
            return String.format(Locale.ROOT, "0,%.1f %d,%.1f", y, WIDTH, y);
        }
        long first = points.get(0).at().toEpochMilli();
        double span = Math.max(1, points.get(points.size() - 1).at().toEpochMilli() - first);
        for (UsagePoint p : points) {
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", (p.at().toEpochMilli() - first) / span * WIDTH, y(p.usedRatio())));
        }
        return out.toString().trim();
    }

    private static double y(double ratio) {
        return HEIGHT - Math.max(0, Math.min(1, ratio)) * HEIGHT;
    }

    static String label(List<UsagePoint> points) {
        if (points.isEmpty()) {
            return "no usage history yet";
        }
        UsagePoint first = points.get(0);
        UsagePoint last = points.get(points.size() - 1);
        Duration span = Duration.between(first.at(), last.at());
        return String.format(Locale.ROOT, "used %.1f%% to %.1f%% over the last %s (%s)", 100 * first.usedRatio(),
                100 * last.usedRatio(), Durations.human(span.toMillis() / 1000.0), Plural.of(points.size(), "point"));
    }
}
