package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.broker.BrokerState;
import java.time.Instant;
import java.util.List;

/**
 * One run of the recovery guard: per filesystem what the next start needs and what was decided,
 * and the tiers released.
 *
 * @param released what was released, one line per filesystem ("" when nothing)
 */
public record GuardReport(Instant time, BrokerState brokerState, List<FilesystemGuard> filesystems,
                          List<Release> released, double seconds) {

    public GuardReport {
        filesystems = List.copyOf(filesystems);
        released = List.copyOf(released);
    }

    /** Tiers released on one filesystem. */
    public record Release(String mount, String logDir, List<Integer> tiers, long bytes, String trigger) {
    }

    /** 3 when the broker runs, 10 when some filesystem cannot hold the start, else 0. */
    public int exitCode() {
        if (brokerState == BrokerState.RUNNING) {
            return ExitCodes.CHECK_FAILED;
        }
        return filesystems.stream().anyMatch(f -> f.decision().outcome() == PrestartDecision.Outcome.DISK_FULL)
                ? ExitCodes.DISK_FULL : ExitCodes.OK;
    }

    public long shortfallBytes() {
        return filesystems.stream().mapToLong(f -> f.decision().shortfallBytes()).sum();
    }
}
