package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.duty.StatusPart;
import java.time.Instant;
import java.util.List;

/** What the watch duty made of one pass: every filesystem and every log dir. Immutable; part of {@code /api/v1/status}. */
public record WatchReport(Instant time, List<DiskWatch> disks, List<LogDirWatch> logDirs) implements StatusPart {

    public WatchReport {
        disks = List.copyOf(disks);
        logDirs = List.copyOf(logDirs);
    }

    @Override
    public String statusKey() {
        return "watch";
    }
}
