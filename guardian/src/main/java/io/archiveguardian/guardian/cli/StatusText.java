package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.sidecar.FilesystemObservation;
import io.archiveguardian.guardian.sidecar.LogDirObservation;
import io.archiveguardian.guardian.sidecar.Observation;
import io.archiveguardian.guardian.text.Sizes;
import java.util.Locale;

/** The text form of one observation, for {@code guardian status}. */
final class StatusText {

    private StatusText() {
    }

    static String render(Observation o) {
        StringBuilder s = new StringBuilder();
        s.append("Host ").append(o.host()).append(", broker ").append(o.nodeId() == null ? "?" : o.nodeId())
                .append(": ").append(o.brokerState()).append('\n');
        s.append("\nFilesystems\n");
        for (FilesystemObservation fs : o.filesystems()) {
            FilesystemUsage u = fs.usage();
            s.append(String.format(Locale.ROOT, "  %s  %s %s  used %.1f%%  usable %s of %s  free %s",
                    u.mount(), u.type(), u.device(), u.usedRatio() * 100, Sizes.human(u.usableBytes()),
                    Sizes.human(u.totalBytes()), Sizes.human(u.freeBytes())));
            if (u.inodesTotal() > 0) {
                s.append(String.format(Locale.ROOT, "  inodes free %d of %d", u.inodesFree(), u.inodesTotal()));
            }
            s.append("\n    log dirs: ").append(String.join(", ", fs.logDirs())).append('\n');
        }
        s.append("\nLog dirs\n");
        for (LogDirObservation d : o.logDirs()) {
            s.append("  ").append(d.path()).append("  ").append(d.online() ? "online" : "OFFLINE (" + d.error() + ")")
                    .append("  ").append(d.broker().state()).append(": ").append(d.broker().detail()).append('\n');
        }
        return s.toString();
    }
}
