package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/** Pure: the text of {@code guardian cluster}. */
public final class ClusterText {

    private ClusterText() {
    }

    public static String render(ClusterView v) {
        StringBuilder out = new StringBuilder();
        out.append("Cluster view (answered by ").append(v.answeredBy() == null ? "?" : v.answeredBy()).append("): ")
                .append(v.state()).append(", ").append(v.reason()).append('\n');
        if (v.newestHeartbeat() != null) {
            out.append(String.format(Locale.ROOT, "  freshness newest heartbeat %s ago (%s)%s%n",
                    Durations.human(v.ageSeconds()), v.newestHeartbeat(), v.stale() ? "; STALE since " + v.staleSince() : ""));
        }
        ClusterView.Totals t = v.totals();
        out.append(String.format(Locale.ROOT, "  brokers   %d: %d alive, %d suspect, %d silent%n", t.brokers(), t.alive(),
                t.suspect(), t.silent()));
        out.append("  pressure  ").append(t.brokersByPressure().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey(java.util.Comparator.comparingInt(ClusterText::levelOrder)))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        out.append("  space     ").append(Sizes.human(t.usableBytes())).append(" usable, ")
                .append(Sizes.human(t.armedBallastBytes())).append(" ballast armed, headroom ")
                .append(signed(t.headroomBytes())).append(" after a recovery need of ")
                .append(Sizes.human(t.recoveryNeedBytes())).append('\n');
        if (!v.brokers().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-7s %-20s %-8s %-9s %10s %10s %10s  %s%n", "BROKER", "HOST", "SIDECAR",
                    "PRESSURE", "USABLE", "HEADROOM", "BALLAST", "LAST HEARD"));
            for (ClusterView.Broker b : v.brokers()) {
                out.append(String.format(Locale.ROOT, "%-7d %-20s %-8s %-9s %10s %10s %10s  %s%n", b.brokerId(),
                        b.host(), b.state(), b.pressure(), Sizes.human(b.usableBytes()), signed(b.headroomBytes()),
                        Sizes.human(b.armedBallastBytes()), ago(b.lastHeard(), v.evaluatedAt())));
                if (!"alive".equals(b.state())) {
                    out.append("        ").append(b.reason()).append('\n');
                }
            }
        }
        out.append('\n');
        if (v.allReplicasPressured().isEmpty()) {
            out.append("No partition has every replica on a disk at high or critical pressure.\n");
        } else {
            out.append("Partitions with every replica on a disk at high or critical pressure:\n");
            v.allReplicasPressured().forEach(p -> out.append("  ").append(p.partition()).append(" on brokers ")
                    .append(p.replicas()).append('\n'));
        }
        return out.toString();
    }

    /** True when an operator should look: a silent sidecar, the brake, a stale view or an all-pressured partition. */
    public static boolean problem(ClusterView v) {
        return v.totals().silent() > 0 || "suspect".equals(v.state()) || v.stale() || !v.allReplicasPressured().isEmpty();
    }

    private static int levelOrder(String level) {
        return java.util.List.of("ok", "warn", "high", "critical").indexOf(level);
    }

    private static String signed(long bytes) {
        return bytes < 0 ? "-" + Sizes.human(-bytes) : Sizes.human(bytes);
    }

    private static String ago(Instant heard, Instant now) {
        if (heard == null || now == null) {
            return "never";
        }
        return Durations.human(Duration.between(heard, now)) + " ago";
    }
}
