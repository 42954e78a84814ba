package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.cluster.ClusterReachability;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.text.SpaceText;
import io.archiveguardian.guardian.watch.DiskWatch;
import io.archiveguardian.guardian.watch.LogDirWatch;
import io.archiveguardian.guardian.watch.WatchReport;
import io.archiveguardian.guardian.watch.WatchText;
import java.util.Locale;

/** The text form of one observation and what the watch step made of it, for {@code guardian status}. */
final class StatusText {

    private StatusText() {
    }

    static String render(Observation o, WatchReport watch) {
        StringBuilder s = new StringBuilder();
        s.append("Host ").append(o.host()).append(", broker ").append(o.nodeId() == null ? "?" : o.nodeId())
                .append(": ").append(o.brokerState()).append('\n');
        s.append("\nFilesystems\n");
        for (FilesystemObservation fs : o.filesystems()) {
            FilesystemUsage u = fs.usage();
            s.append("  ").append(u.mount()).append("  ").append(u.type()).append(' ').append(u.device());
            if (u.inodesTotal() > 0) {
                s.append(String.format(Locale.ROOT, "  inodes free %d of %d", u.inodesFree(), u.inodesTotal()));
            }
            s.append("\n    space: ").append(SpaceText.line(u.totalBytes(), u.freeBytes(), u.usableBytes()));
            s.append("\n    log dirs: ").append(String.join(", ", fs.logDirs())).append('\n');
            for (DiskWatch d : watch.disks()) {
                if (d.mount().equals(u.mount())) {
                    s.append("    pressure: ").append(WatchText.pressure(d.pressure())).append('\n');
                    s.append("    forecast: ").append(WatchText.forecast(d.forecast())).append('\n');
                }
            }
        }
        s.append("\nLog dirs\n");
        for (LogDirObservation d : o.logDirs()) {
            s.append("  ").append(d.path()).append("  ").append(d.online() ? "online" : "OFFLINE (" + d.error() + ")")
                    .append("  ").append(d.broker().state()).append(": ").append(d.broker().detail()).append('\n');
            if (d.totals() != null) {
                s.append("    ").append(WatchText.totals(d.totals())).append('\n');
            } else if (d.scanError() != null) {
                s.append("    scan failed: ").append(d.scanError()).append('\n');
            }
            for (LogDirWatch w : watch.logDirs()) {
                if (w.path().equals(d.path()) && w.scanned()) {
                    s.append(String.format(Locale.ROOT, "    index share %.2f%% allocated, %.2f%% apparent; %s%n",
                            100 * w.indexShareAllocated(), 100 * w.indexShareApparent(), WatchText.growth(w.growth())));
                }
            }
        }
        return s.toString();
    }

    /** Whether the cluster answered: empty without a cluster. */
    static String cluster(ClusterReachability r) {
        if (r == null) {
            return "";
        }
        String answer = Boolean.TRUE.equals(r.reachable()) ? "answers (cluster id " + r.clusterId() + ")"
                : "DOES NOT ANSWER: " + r.detail();
        return "\nCluster (" + r.bootstrapServers() + "): " + answer + "\n";
    }

    /** The cordon section (KIP-1066): empty without a cluster or when it did not answer. */
    static String cordon(io.archiveguardian.guardian.cordon.CordonReport cordon) {
        if (cordon == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("\nCordon (cordoned.log.dirs, at ").append(cordon.cordonLevel())
                .append("): ").append(cordon.state()).append(" - ").append(cordon.detail()).append('\n');
        for (var d : cordon.logDirs()) {
            s.append("  ").append(d.logDir()).append("  ")
                    .append(d.cordoned() ? "CORDONED by " + d.cordonedBy() + (d.since() == null ? "" : " since " + d.since())
                            : "not cordoned").append('\n');
        }
        return s.toString();
    }
}
