package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.clusterview.ClusterView;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.report.StatusVerdict;
import io.archiveguardian.guardian.text.Plural;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.text.Times;
import io.archiveguardian.guardian.watch.DiskWatch;
import io.archiveguardian.guardian.watch.LogDirWatch;
import io.archiveguardian.guardian.watch.WatchReport;
import io.archiveguardian.guardian.watch.WatchText;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status page at {@code /}: one server-rendered HTML page, no scripts, readable on a phone.
 * Disks (pressure, usage, forecast, a usage chart), log dirs (sizes, index share, rates), ballast
 * and the recent events, all from the last pass's {@link StatusReport}.
 */
public final class StatusPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:.8rem;color:#222}"
            + "h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.4rem}"
            + "table{border-collapse:collapse;width:100%;font-size:.9rem}"
            + "td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}"
            + "td.n,th.n{text-align:right;white-space:nowrap}"
            + ".disk{border:1px solid #ddd;border-radius:.4rem;padding:.6rem;margin:.6rem 0}"
            + ".disk h3{font-size:1rem;margin:0 0 .3rem;word-break:break-all}"
            + ".bar{background:#eee;height:.7rem;border-radius:.2rem;margin:.3rem 0}"
            + ".fill{height:100%;border-radius:.2rem;background:#3a7}"
            + ".level{display:inline-block;padding:.05rem .5rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.85rem}"
            + ".ok{background:#2e8b57}.warn{background:#c98a00}.high{background:#d2601a}.critical{background:#c0392b}"
            + ".fill.warn{background:#c98a00}.fill.high{background:#d2601a}.fill.critical{background:#c0392b}"
            + ".chart{width:100%;height:4rem;display:block;background:#fafafa;border:1px solid #eee;margin-top:.4rem}"
            + ".chart .grid{stroke:#ddd;stroke-width:1;vector-effect:non-scaling-stroke}"
            + ".chart .used{fill:none;stroke:#2b6cb0;stroke-width:2;vector-effect:non-scaling-stroke}"
            + ".chart .area{fill:#2b6cb0;fill-opacity:.12;stroke:none}"
            + "tr.name td{border-bottom:none;padding-bottom:0}"
            + ".muted{color:#777}.small{font-size:.85rem}.path{word-break:break-all}"
            + ".verdict{padding:.5rem .7rem;border-radius:.4rem;margin:.5rem 0;font-size:1rem}"
            + ".verdict.calm{background:#e7f4ec;border:1px solid #2e8b57}.verdict.act{background:#fdf0e6;border:1px solid #d2601a}"
            + ".verdict ul{margin:.3rem 0 0;padding-left:1.2rem}"
            + "@media(max-width:40rem){.wide{display:none}}";

    private StatusPage() {
    }

    public static String render(Optional<StatusReport> status) {
        return render(status, Optional.empty());
    }

    /** The page, with a cluster section when the cluster view has answered. */
    public static String render(Optional<StatusReport> status, Optional<ClusterView> cluster) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"15\">")
                .append("<title>Kafka Archive Guardian</title><style>").append(STYLE)
                .append("</style></head><body><h1>Kafka Archive Guardian</h1>");
        if (status.isEmpty()) {
            return html.append("<p>No pass has completed yet.</p></body></html>").toString();
        }
        StatusReport report = status.get();
        Observation o = report.observation();
        verdict(html, StatusVerdict.of(report));
        html.append("<p>Host <b>").append(esc(o.host())).append("</b>, broker ")
                .append(o.nodeId() == null ? "<span class=muted>unknown id</span>" : "<b>" + o.nodeId() + "</b>")
                .append(": <b id=\"broker-state\">").append(esc(o.brokerState().name()))
                .append("</b>.<br><span class=\"muted small\">Last pass ").append(esc(Times.local(o.time())))
                .append("</span></p>");
        disks(html, o.filesystems(), report.watch());
        logDirs(html, o.logDirs(), report.watch());
        reachability(html, report.cluster());
        cordon(html, report.cordon());
        ballast(html, report.ballast());
        recovery(html, report.recovery());
        cluster.ifPresent(c -> cluster(html, c));
        report.more().forEach(part -> part(html, part));
        events(html, report.recentEvents());
        html.append("<p class=\"muted small\">guardian ").append(esc(report.guardianVersion()))
                .append(" · <a href=\"/metrics\">/metrics</a> · <a href=\"/api/v1/status\">/api/v1/status</a></p>")
                .append("</body></html>");
        return html.toString();
    }

    /** The first thing on the page: nothing to do, or what to do, most urgent first. */
    private static void verdict(StringBuilder html, StatusVerdict v) {
        if (v.nothingToDo()) {
            html.append("<p id=\"verdict\" class=\"verdict calm\"><b>Nothing to do</b>: ")
                    .append(esc(v.line().substring("Nothing to do: ".length()))).append("</p>");
            return;
        }
        html.append("<div id=\"verdict\" class=\"verdict act\"><b>").append(esc(v.todo().size() == 1
                ? "To do: " + v.todo().get(0) : Plural.of(v.todo().size(), "thing") + " to look at:")).append("</b>");
        if (v.todo().size() > 1) {
            html.append("<ul>");
            v.todo().forEach(t -> html.append("<li>").append(esc(t)).append("</li>"));
            html.append("</ul>");
        }
        html.append("</div>");
    }

    private static void disks(StringBuilder html, List<FilesystemObservation> filesystems, WatchReport watch) {
        html.append("<h2>Disks</h2><div id=\"disks\">");
        int n = 0;
        for (FilesystemObservation fs : filesystems) {
            FilesystemUsage u = fs.usage();
            Optional<DiskWatch> w = watch == null ? Optional.empty()
                    : watch.disks().stream().filter(d -> d.mount().equals(u.mount())).findFirst();
            String level = w.map(d -> d.pressure().level()).orElse("");
            double pct = u.usedRatio() * 100;
            html.append("<section class=\"disk\" data-mount=\"").append(esc(u.mount())).append("\"><h3>")
                    .append(esc(u.mount()))
                    .append(level.isEmpty() ? "" : " <span class=\"level " + esc(level) + "\">" + esc(level) + "</span>")
                    .append("</h3>")
                    .append(String.format(Locale.ROOT, "<div class=bar><div class=\"fill %s\" style=\"width:%.1f%%\"></div></div>",
                            esc(level), pct))
                    .append(String.format(Locale.ROOT, "<div>%.1f%% used · %s usable of %s</div>", pct,
                            Sizes.human(u.usableBytes()), Sizes.human(u.totalBytes())))
                    .append("<div class=\"muted small\">").append(esc(u.device())).append(' ').append(esc(u.type()))
                    .append(" · log dirs ").append(esc(String.join(", ", fs.logDirs()))).append("</div>");
            if (w.isPresent()) {
                DiskWatch d = w.get();
                if (d.ballastBytes() > 0) {
                    html.append("<div>Ballast ").append(Sizes.human(d.ballastBytes())).append(" reclaimable (")
                            .append(esc(d.pressure().levelWithoutBallast())).append(" without it)</div>");
                }
                html.append("<div class=small>").append(esc(d.pressure().reason())).append("</div>")
                        .append("<div class=forecast>").append(esc(WatchText.forecast(d.forecast()))).append("</div>")
                        .append(UsageChart.svg("chart-" + n, d.history()))
                        .append("<div class=\"muted small\">").append(esc(UsageChart.label(d.history()))).append("</div>");
            }
            html.append("</section>");
            n++;
        }
        html.append("</div>");
    }

    private static void logDirs(StringBuilder html, List<LogDirObservation> dirs, WatchReport watch) {
        html.append("<h2>Log dirs</h2><table id=\"logdirs\"><tr><th class=n>Partitions</th><th class=n>Segments</th>")
                .append("<th class=n>Log</th><th class=n>Index share</th>")
                .append("<th class=\"n wide\">Index alloc. / apparent</th><th class=wide>Growth</th></tr>");
        for (LogDirObservation d : dirs) {
            html.append("<tr class=name><td colspan=6 class=path><b>").append(esc(d.path())).append("</b> ");
            if (!d.online()) {
                html.append("<b>offline</b>: ").append(esc(d.error())).append("</td></tr>");
                continue;
            }
            if (d.totals() == null) {
                html.append("<b>scan failed</b>: ").append(esc(d.scanError())).append("</td></tr>");
                continue;
            }
            Optional<LogDirWatch> w = watch == null ? Optional.empty()
                    : watch.logDirs().stream().filter(l -> l.path().equals(d.path())).findFirst();
            var t = d.totals();
            html.append("<span class=\"muted small\">").append(esc(d.broker().detail())).append("</span></td></tr>")
                    .append("<tr class=logdir><td class=n>").append(t.partitions()).append("</td><td class=n>")
                    .append(t.segments()).append("</td><td class=n>").append(Sizes.human(t.log().apparentBytes()))
                    .append("</td><td class=n>")
                    .append(w.map(l -> String.format(Locale.ROOT, "%.2f%%", 100 * l.indexShareAllocated())).orElse(""))
                    .append("</td><td class=\"n wide\">").append(Sizes.human(t.indexes().allocatedBytes())).append(" / ")
                    .append(Sizes.human(t.indexes().apparentBytes())).append("</td><td class=\"wide small\">")
                    .append(esc(w.map(l -> WatchText.growth(l.growth())).orElse(""))).append("</td></tr>");
            if (t.specialDirectories() > 0) {
                html.append("<tr><td colspan=6 class=small>").append(t.specialDirectories())
                        .append(" -delete/-future/-stray or unrecognized directories: ")
                        .append(Sizes.human(t.special().allocatedBytes())).append("</td></tr>");
            }
        }
        html.append("</table><p class=\"muted small\">Index share: the index files' allocated bytes as a share of "
                + "all the log dir's allocated bytes.</p>");
    }

    /** Whether the cluster answers the sidecar, since when, and why not; nothing without a cluster. */
    private static void reachability(StringBuilder html, io.archiveguardian.guardian.cluster.ClusterReachability r) {
        if (r == null) {
            return;
        }
        String state = r.reachable() == null ? "not asked yet" : r.reachable() ? "answers" : "<b>does not answer</b>";
        html.append("<p class=small id=\"cluster-reachable\">Cluster <span class=path>").append(esc(r.bootstrapServers()))
                .append("</span>: ").append(state)
                .append(r.since() == null ? "" : " <span class=muted>since " + esc(Times.local(r.since())) + "</span>")
                .append(Boolean.FALSE.equals(r.reachable()) ? "<br>" + esc(r.detail()) : "").append("</p>");
    }

    /** The log dirs' cordons (KIP-1066): which are cordoned, and by whom. */
    private static void cordon(StringBuilder html, io.archiveguardian.guardian.cordon.CordonReport cordon) {
        if (cordon == null) {
            return;
        }
        html.append("<h2>Cordon</h2><p class=small id=\"cordon-state\">Automatic cordon at <b>").append(esc(cordon.cordonLevel()))
                .append("</b>: ").append(esc(cordon.state())).append(" · ").append(esc(cordon.detail())).append("</p>");
        if (cordon.logDirs().isEmpty()) {
            return;
        }
        html.append("<table id=\"cordon\"><tr><th>Log dir</th><th>Cordoned</th><th class=wide>Why</th></tr>");
        for (var d : cordon.logDirs()) {
            html.append("<tr><td class=path>").append(esc(d.logDir())).append("</td><td>")
                    .append(d.cordoned() ? "<b>yes</b>, by " + esc(d.cordonedBy()) : "no")
                    .append(d.since() == null ? "" : " <span class=\"muted small\">since " + esc(Times.local(d.since())) + "</span>")
                    .append("</td><td class=\"wide small\">").append(esc(d.reason())).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void ballast(StringBuilder html, List<ReserveView> reserves) {
        html.append("<h2>Ballast</h2>");
        if (reserves.isEmpty()) {
            html.append("<p class=muted id=\"ballast\">No reserve configured or readable.</p>");
            return;
        }
        html.append("<table id=\"ballast\"><tr><th>State</th><th class=n>Armed</th><th class=n>Released</th>")
                .append("<th class=wide>Last action</th></tr>");
        for (ReserveView r : reserves) {
            html.append("<tr class=name><td colspan=4 class=path><b>").append(esc(r.logDir())).append("</b> <span class=\"muted small\">")
                    .append(esc(r.reserveDir())).append("</span></td></tr><tr><td>").append(esc(r.state()))
                    .append(" (").append(r.tiersArmed()).append('/').append(r.tiersPlanned()).append(" tiers)</td><td class=n>")
                    .append(Sizes.human(r.armedBytes())).append("</td><td class=n>").append(Sizes.human(r.releasedBytes()))
                    .append("</td><td class=\"wide small\">")
                    .append(r.lastAction() == null ? "" : esc(lastAction(r.lastAction())))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    /** "armed by hand (guardian demo) at 2026-12-05 16:10:03 UTC", "released after an unclean shutdown at ...". */
    static String lastAction(ReserveView.LastActionView a) {
        return a.inWords() + " at " + Times.local(a.time());
    }

    /** Whether the next broker start fits: the recovery guard's need against usable space and ballast. */
    private static void recovery(StringBuilder html, io.archiveguardian.guardian.recovery.GuardReport guard) {
        if (guard == null || guard.filesystems().isEmpty()) {
            return;
        }
        html.append("<h2>Next broker start</h2><table id=\"recovery\"><tr><th>Disk</th><th class=n>Needs</th><th class=n>Headroom</th><th>Verdict</th></tr>");
        for (var f : guard.filesystems()) {
            String verdict = f.usableBytes() >= f.need().totalBytes() ? "fits"
                    : f.headroomBytes() >= 0 ? "fits after releasing ballast" : "<b>would not fit</b>";
            html.append("<tr><td class=path>").append(esc(f.mount())).append("</td><td class=n>")
                    .append(Sizes.human(f.need().totalBytes()))
                    .append(f.need().estimated() && f.need().catchUpBytes() > 0 ? " (estimate)" : "")
                    .append("</td><td class=n>").append(f.headroomBytes() < 0 ? "-" + Sizes.human(-f.headroomBytes()) : Sizes.human(f.headroomBytes()))
                    .append("</td><td>").append(verdict).append("</td></tr>");
        }
        html.append("</table><p class=muted>Needs: what the start would use ")
                .append(guard.brokerState() == io.archiveguardian.guardian.broker.BrokerState.RUNNING
                        ? "if the broker crashed now (local recovery and margin)." : "now: recovery, catch-up and margin.")
                .append(" Headroom: usable space plus ballast minus the need.</p>");
    }

    /** The cluster view as this sidecar last fetched it (docs/cluster-view.md). */
    private static void cluster(StringBuilder html, ClusterView c) {
        ClusterView.Totals t = c.totals();
        html.append("<h2>Cluster</h2><p id=\"cluster-summary\">").append(Plural.of(t.brokers(), "broker")).append(": <b>")
                .append(t.alive()).append(" alive</b>, ").append(t.suspect()).append(" suspect, <b>").append(t.silent())
                .append(" silent</b>. View ").append(esc(c.state())).append(": ").append(esc(c.reason()))
                .append(c.stale() ? ". <b>Stale since " + esc(Times.local(c.staleSince())) + "</b>" : "")
                .append(".<br><span class=\"muted small\">Newest heartbeat ")
                .append(c.newestHeartbeat() == null ? "none yet" : esc(Times.local(c.newestHeartbeat())))
                .append(", answered by ").append(esc(c.answeredBy())).append("</span></p>");
        if (c.brokers().isEmpty()) {
            html.append("<p class=\"muted small\" id=\"cluster-table-empty\">").append(t.brokers() == 0
                    ? "No sidecar has sent a heartbeat yet, so there is no broker to list."
                    : "Every broker's sidecar is alive, so no broker needs a row here; all of them: "
                            + "<a href=\"/api/v1/cluster\">/api/v1/cluster</a>.").append("</p>");
        } else {
            clusterTable(html, c);
        }
        if (!c.allReplicasPressured().isEmpty()) {
            html.append("<p id=\"cluster-pressured\"><b>Every replica on a pressured disk:</b> ");
            html.append(esc(c.allReplicasPressured().stream().map(p -> p.partition() + " " + p.replicas())
                    .reduce((a, b) -> a + ", " + b).orElse(""))).append("</p>");
        }
    }

    private static void clusterTable(StringBuilder html, ClusterView c) {
        ClusterView.Totals t = c.totals();
        html.append("<table id=\"cluster\"><tr><th>Broker</th><th>Host</th><th>Sidecar</th>")
                .append("<th>Pressure</th><th class=n>Usable</th><th class=n>Headroom</th><th class=\"n wide\">Ballast</th></tr>");
        for (ClusterView.Broker b : c.brokers()) {
            html.append("<tr><td>").append(b.brokerId()).append("</td><td class=path>").append(esc(b.host()))
                    .append("</td><td title=\"").append(esc(b.reason())).append("\">").append(esc(b.state()))
                    .append("</td><td><span class=\"level ").append(esc(b.pressure())).append("\">").append(esc(b.pressure()))
                    .append("</span></td><td class=n>").append(Sizes.human(b.usableBytes())).append("</td><td class=n>")
                    .append(b.headroomBytes() < 0 ? "-" + Sizes.human(-b.headroomBytes()) : Sizes.human(b.headroomBytes()))
                    .append("</td><td class=\"n wide\">").append(Sizes.human(b.armedBallastBytes())).append("</td></tr>");
        }
        html.append("</table>");
        if (c.brokers().size() < t.brokers()) {
            html.append("<p class=\"muted small\">Brokers whose sidecar is alive are left out here; all of them: "
                    + "<a href=\"/api/v1/cluster\">/api/v1/cluster</a>.</p>");
        }
    }

    /** The part of a duty this page has no section of its own for: its key and its lines. */
    private static void part(StringBuilder html, io.archiveguardian.guardian.duty.StatusPart part) {
        List<String> lines = part.statusLines();
        if (lines.isEmpty()) {
            return;
        }
        html.append("<h2>").append(esc(part.statusKey())).append("</h2><ul>");
        lines.forEach(l -> html.append("<li>").append(esc(l)).append("</li>"));
        html.append("</ul>");
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
            html.append("<tr><td class=small>").append(esc(Times.local(e.time()))).append("</td><td class=path>")
                    .append(esc(e.subject())).append("</td><td>").append(e.previousState() == null ? "(new)" : esc(e.previousState())).append(" → ")
                    .append(esc(e.state())).append("</td><td class=\"wide small\">").append(esc(e.detail())).append("</td></tr>");
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
