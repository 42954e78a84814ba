package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.text.Sizes;
import java.util.List;

/**
 * What {@code guardian prestart} does on one filesystem.
 *
 * @param tiersToRelease how many armed tiers to release, in release order
 * @param shortfallBytes what is still missing after releasing every tier (0 when enough)
 * @param coveredBytes   the need the decision covers: all of it, or all but a catch-up estimate the
 *                       cluster did not confirm when that does not fit
 */
public record PrestartDecision(Outcome outcome, int tiersToRelease, long releaseBytes, long headroomBytes,
                               long shortfallBytes, long coveredBytes, String reason) {

    public enum Outcome {
        /** The broker is running: prestart must not act. Exit 3. */
        BROKER_RUNNING(ExitCodes.CHECK_FAILED),
        /**
         * The broker's state is UNKNOWN (its lock and its listener disagree): it may be running where
         * its lock cannot be seen. Prestart must not act. Exit 3.
         */
        BROKER_UNKNOWN(ExitCodes.CHECK_FAILED),
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
     * need; when all of them cannot, release nothing and report the shortfall. A catch-up the
     * cluster did not confirm (an estimate from the recorded write rate and the time down) never
     * blocks a start on its own: catch-up happens only once the broker reaches the leaders, and then
     * the running sidecar sees it and acts. When the need fits only without that estimate, the
     * decision covers the rest (local recovery, start-up writes, margin) and says so.
     *
     * @param armedTierBytes sizes of the armed tiers in the order they are released
     */
    public static PrestartDecision decide(boolean brokerRunning, long usableBytes, RecoveryNeed need, List<Long> armedTierBytes) {
        long ballast = armedTierBytes.stream().mapToLong(Long::longValue).sum();
        long headroom = usableBytes + ballast - need.totalBytes();
        if (brokerRunning) {
            return new PrestartDecision(Outcome.BROKER_RUNNING, 0, 0, headroom, 0, need.totalBytes(),
                    "the broker is running; prestart runs before it starts");
        }
        PrestartDecision all = cover(usableBytes, need.totalBytes(), armedTierBytes, headroom, "the need");
        if (all.outcome() != Outcome.DISK_FULL || !need.estimated() || need.catchUpBytes() <= 0) {
            return all;
        }
        return cover(usableBytes, need.totalBytes() - need.catchUpBytes(), armedTierBytes, headroom,
                "the need without the catch-up estimate of " + Sizes.human(need.catchUpBytes())
                        + ", which the cluster did not confirm and which does not block a start on its own (catch-up "
                        + "starts only once the broker reaches the leaders; the running sidecar watches it)");
    }

    /** The broker's state is UNKNOWN: nothing is released, whatever the need (exit 3). */
    public static PrestartDecision brokerUnknown(long usableBytes, RecoveryNeed need, List<Long> armedTierBytes) {
        long ballast = armedTierBytes.stream().mapToLong(Long::longValue).sum();
        return new PrestartDecision(Outcome.BROKER_UNKNOWN, 0, 0, usableBytes + ballast - need.totalBytes(), 0,
                need.totalBytes(), "the broker's state is UNKNOWN (its lock and its listener disagree): it may be "
                + "running where its lock cannot be seen, so nothing is released");
    }

    private static PrestartDecision cover(long usableBytes, long target, List<Long> armedTierBytes, long headroom,
                                          String what) {
        if (usableBytes >= target) {
            return new PrestartDecision(Outcome.ENOUGH, 0, 0, headroom, 0, target, "usable space covers " + what);
        }
        long freed = 0;
        for (int i = 0; i < armedTierBytes.size(); i++) {
            freed += armedTierBytes.get(i);
            if (usableBytes + freed >= target) {
                return new PrestartDecision(Outcome.RELEASE, i + 1, freed, headroom, 0, target,
                        "releasing " + (i + 1) + " of " + armedTierBytes.size() + " ballast tiers covers " + what);
            }
        }
        long shortfall = target - usableBytes - freed;
        return new PrestartDecision(Outcome.DISK_FULL, 0, 0, headroom, shortfall, target,
                "even all ballast leaves " + what + " uncovered");
    }
}
