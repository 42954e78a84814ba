package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.sidecar.FilesystemObservation;
import io.archiveguardian.guardian.sidecar.LogDirObservation;
import io.archiveguardian.guardian.sidecar.Observation;
import io.archiveguardian.guardian.sidecar.StatusReport;
import io.archiveguardian.guardian.text.Sizes;
import java.util.List;
import java.util.Optional;

/** The status page at {@code /}: one server-rendered HTML page, no scripts, readable on a phone. */
public final class StatusPage {

    private StatusPage() {
    }

    public static String render(Optional<StatusReport> status) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"15\">")
                .append("<title>Kafka Archive Guardian</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}")
                .append("h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.5rem}")
                .append("table{border-collapse:collapse;width:100%;font-size:.9rem}")
                .append("td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}")
                .append(".bar{background:#eee;height:.8rem;border-radius:.2rem;min-width:6rem}")
                .append(".fill{height:100%;border-radius:.2rem;background:#3a7}")
                .append(".state{font-weight:600}.muted{color:#777}")
                .append("@media(max-width:40rem){.wide{display:none}}")
                .append("</style></head><body><h1>Kafka Archive Guardian</h1>");
        if (status.isEmpty()) {
            html.append("<p>No pass has completed yet.</p></body></html>");
            return html.toString();
        }
        Observation o = status.get().observation();
        html.append("<p>Host <b>").append(esc(o.host())).append("</b>, broker ")
                .append(o.nodeId() == null ? "<span class=muted>unknown id</span>" : "<b>" + o.nodeId() + "</b>")
                .append(": <span class=\"state\" id=\"broker-state\">").append(esc(o.brokerState().name()))
                .append("</span>. Last pass ").append(esc(o.time().toString())).append(".</p>");
        disks(html, o.filesystems());
        logDirs(html, o.logDirs());
        events(html, status.get().recentEvents());
        html.append("<p class=muted>guardian ").append(esc(status.get().guardianVersion()))
                .append(" · <a href=\"/metrics\">/metrics</a> · <a href=\"/api/v1/status\">/api/v1/status</a></p>")
                .append("</body></html>");
        return html.toString();
    }

    private static void disks(StringBuilder html, List<FilesystemObservation> filesystems) {
        html.append("<h2>Disks</h2><table id=\"disks\"><tr><th>Mount</th><th>Used</th><th></th>")
                .append("<th>Usable</th><th class=wide>Size</th><th class=wide>Log dirs</th></tr>");
        for (FilesystemObservation fs : filesystems) {
            var u = fs.usage();
            long pct = Math.round(u.usedRatio() * 100);
            html.append("<tr class=\"disk\"><td>").append(esc(u.mount())).append("<br><span class=muted>")
                    .append(esc(u.device())).append(" ").append(esc(u.type())).append("</span></td><td>")
                    .append(pct).append("%</td><td><div class=bar><div class=fill style=\"width:").append(pct)
                    .append("%\"></div></div></td><td>").append(Sizes.human(u.usableBytes())).append("</td><td class=wide>")
                    .append(Sizes.human(u.totalBytes())).append("</td><td class=wide>")
                    .append(esc(String.join(", ", fs.logDirs()))).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void logDirs(StringBuilder html, List<LogDirObservation> dirs) {
        html.append("<h2>Log dirs</h2><table id=\"logdirs\"><tr><th>Log dir</th><th>State</th><th>Broker evidence</th></tr>");
        for (LogDirObservation d : dirs) {
            html.append("<tr><td>").append(esc(d.path())).append("</td><td>")
                    .append(d.online() ? "online" : "<b>offline</b>: " + esc(d.error())).append("</td><td>")
                    .append(esc(d.broker().detail())).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void events(StringBuilder html, List<StateChangeEvent> events) {
        html.append("<h2>Recent events</h2>");
        if (events.isEmpty()) {
            html.append("<p class=muted>None.</p>");
            return;
        }
        html.append("<table id=\"events\"><tr><th>Time</th><th>Subject</th><th>Change</th><th class=wide>Detail</th></tr>");
        for (int i = events.size() - 1; i >= Math.max(0, events.size() - 20); i--) {
            StateChangeEvent e = events.get(i);
            html.append("<tr><td>").append(esc(e.time().toString())).append("</td><td>").append(esc(e.subject()))
                    .append("</td><td>").append(esc(String.valueOf(e.previousState()))).append(" → ")
                    .append(esc(e.state())).append("</td><td class=wide>").append(esc(e.detail())).append("</td></tr>");
        }
        html.append("</table>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
