package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.recovery.FilesystemGuard;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.watch.DiskWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pure: the heartbeat that reports one pass. */
public final class Heartbeats {

    private Heartbeats() {
    }

    /** Empty when the broker id is unknown (a heartbeat is keyed by it). */
    public static Optional<Heartbeat> of(StatusReport report, Instant startedAt, long sequence, Instant now,
                                         Duration interval) {
        Observation o = report.observation();
        if (o.nodeId() == null) {
            return Optional.empty();
        }
        List<Heartbeat.Disk> disks = new ArrayList<>();
        for (FilesystemObservation fs : o.filesystems()) {
            String mount = fs.mount();
            DiskWatch watch = report.watch() == null ? null : report.watch().disks().stream()
                    .filter(d -> d.mount().equals(mount)).findFirst().orElse(null);
            FilesystemGuard guard = report.recovery() == null ? null : report.recovery().filesystems().stream()
                    .filter(g -> g.mount().equals(mount)).findFirst().orElse(null);
            long armed = watch != null ? watch.ballastBytes() : guard != null ? guard.armedBallastBytes() : 0;
            long usable = fs.usage().usableBytes();
            long need = guard == null ? 0 : guard.need().totalBytes();
            long headroom = guard == null ? usable + armed : guard.headroomBytes();
            long planned = report.ballast().stream()
                    .filter(r -> r.logDirs().stream().anyMatch(fs.logDirs()::contains))
                    .flatMap(r -> r.tiers().stream()).mapToLong(ReserveView.TierView::sizeBytes).sum();
            disks.add(new Heartbeat.Disk(mount, fs.logDirs(), watch == null ? "unknown" : watch.pressure().level(),
                    usable, headroom, armed, planned, need));
        }
        return Optional.of(new Heartbeat(o.nodeId(), o.host(), o.brokerState().name(), report.guardianVersion(),
                o.time(), now, interval.toMillis(), startedAt, sequence, disks));
    }
}
