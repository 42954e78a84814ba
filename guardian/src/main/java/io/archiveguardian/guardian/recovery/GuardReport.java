package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.broker.BrokerState;
import java.time.Instant;
import java.util.List;

/**
 * One run of the recovery guard: per filesystem what the next start needs and what was decided,
 * and the tiers released.
 *
 * @param released what was released, one line per filesystem ("" when nothing)
 * @param failures filesystems where the release failed, each reported on its own
 */
public record GuardReport(Instant time, BrokerState brokerState, List<FilesystemGuard> filesystems,
                          List<Release> released, List<Failure> failures, double seconds) implements StatusPart {

    public GuardReport {
        filesystems = List.copyOf(filesystems);
        released = List.copyOf(released);
        failures = List.copyOf(failures);
    }

    /** A filesystem whose release failed (lock timeout, I/O error); the others were still handled. */
    public record Failure(String mount, String logDir, String error) {
    }

    /** Tiers released on one filesystem. */
    public record Release(String mount, String logDir, List<Integer> tiers, long bytes, String trigger) {
    }

    /** 3 when the broker runs or its state is UNKNOWN, 10 when some filesystem cannot hold the start, else 0. */
    public int exitCode() {
        if (brokerState == BrokerState.RUNNING || brokerState == BrokerState.UNKNOWN) {
            return ExitCodes.CHECK_FAILED;
        }
        return filesystems.stream().anyMatch(f -> f.decision().outcome() == PrestartDecision.Outcome.DISK_FULL)
                ? ExitCodes.DISK_FULL : ExitCodes.OK;
    }

    public long shortfallBytes() {
        return filesystems.stream().mapToLong(f -> f.decision().shortfallBytes()).sum();
    }

    @Override
    public String statusKey() {
        return "recovery";
    }
}
