package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ExitCodes;
import java.util.List;

/**
 * What {@code guardian prestart} does on one filesystem.
 *
 * @param tiersToRelease how many armed tiers to release, in release order
 * @param shortfallBytes what is still missing after releasing every tier (0 when enough)
 */
public record PrestartDecision(Outcome outcome, int tiersToRelease, long releaseBytes, long headroomBytes,
                               long shortfallBytes, String reason) {

    public enum Outcome {
        /** The broker is running: prestart must not act. Exit 3. */
        BROKER_RUNNING(ExitCodes.CHECK_FAILED),
        /** Free space covers the need. Exit 0. */
        ENOUGH(ExitCodes.OK),
        /** Releasing the first tiers covers the need. Exit 0 after releasing. */
        RELEASE(ExitCodes.OK),
        /** Even all ballast does not cover the need. Exit 10; nothing is released. */
        DISK_FULL(ExitCodes.DISK_FULL);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * Pure decision: release the fewest armed tiers (in order) that make usable space cover the
     * need; when all of them cannot, release nothing and report the shortfall.
     *
     * @param armedTierBytes sizes of the armed tiers in the order they are released
     */
    public static PrestartDecision decide(boolean brokerRunning, long usableBytes, RecoveryNeed need, List<Long> armedTierBytes) {
        long ballast = armedTierBytes.stream().mapToLong(Long::longValue).sum();
        long headroom = usableBytes + ballast - need.totalBytes();
        if (brokerRunning) {
            return new PrestartDecision(Outcome.BROKER_RUNNING, 0, 0, headroom, 0,
                    "the broker is running; prestart runs before it starts");
        }
        if (usableBytes >= need.totalBytes()) {
            return new PrestartDecision(Outcome.ENOUGH, 0, 0, headroom, 0, "usable space covers the need");
        }
        long freed = 0;
        for (int i = 0; i < armedTierBytes.size(); i++) {
            freed += armedTierBytes.get(i);
            if (usableBytes + freed >= need.totalBytes()) {
                return new PrestartDecision(Outcome.RELEASE, i + 1, freed, headroom, 0,
                        "releasing " + (i + 1) + " of " + armedTierBytes.size() + " ballast tiers covers the need");
            }
        }
        long shortfall = need.totalBytes() - usableBytes - ballast;
        return new PrestartDecision(Outcome.DISK_FULL, 0, 0, headroom, shortfall,
                "even all ballast leaves the need uncovered");
    }
}
