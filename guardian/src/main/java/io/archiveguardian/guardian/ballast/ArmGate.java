package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Pure: whether the running sidecar may give one filesystem's reserve a tier this pass, and why
 * (facts in, decision and reason out). Two kinds of tier:
 * <ul>
 *   <li>never armed (a fresh install, a tier whose record a crash lost): {@code reserve.auto.arm}
 *       arms it once the broker has run steadily, unless the cluster says this broker has
 *       under-replicated partitions;</li>
 *   <li>armed once and released: re-armed only when re-arm cannot compete with catch-up, i.e.
 *       the cluster says this broker has no under-replicated partitions, or, when the cluster
 *       cannot say, the usable space after re-arming still covers what a crash now would need,
 *       the catch-up of a {@code recovery.outage.ms} outage at the measured write rate included.</li>
 * </ul>
 * Never while the broker is not RUNNING (UNKNOWN included) or a release is waiting. The library's
 * safety rule ({@code reserve.arm.max.used.percent}) applies after this, when the tier is armed.
 */
public final class ArmGate {

    /** Passes the broker must have been running before any arm. */
    public static final int STEADY_PASSES = 3;

    private ArmGate() {
    }

    /** What to do. */
    public enum Action { NONE, ARM, REARM }

    /**
     * @param autoArm           {@code reserve.auto.arm}
     * @param rearmEnabled      {@code reserve.rearm.enabled}
     * @param brokerState       the broker now
     * @param runningPasses     consecutive passes the broker has been RUNNING
     * @param releasePending    a release is waiting for the reserve's lock
     * @param now               the pass's time
     * @param lastRelease       the last release seen on any reserve (EPOCH: none)
     * @param rearmDelay        {@code reserve.rearm.delay.ms}
     * @param tiersNeverArmed   planned (or configured but unrecorded) tiers never armed yet
     * @param tiersReleased     tiers armed once and released since
     * @param nextReleasedBytes the size of the released tier a re-arm would take
     * @param replication       the cluster's latest answer about this broker's under-replicated partitions
     * @param usableBytes       the filesystem's usable bytes now
     * @param crashNeedBytes    what a crash now would need (local recovery, catch-up of a
     *                          recovery.outage.ms outage at the measured rate, margin); empty
     *                          when the write rate has not been measured
     */
    public record Facts(boolean autoArm, boolean rearmEnabled, BrokerState brokerState, int runningPasses,
                        boolean releasePending, Instant now, Instant lastRelease, Duration rearmDelay,
                        int tiersNeverArmed, int tiersReleased, long nextReleasedBytes,
                        UnderReplication.Answer replication, long usableBytes, OptionalLong crashNeedBytes) {
    }

    /** The decision and the reason, for the log and the status. */
    public record Decision(Action action, String reason) {
    }

    public static Decision decide(Facts f) {
        if (f.tiersNeverArmed() == 0 && f.tiersReleased() == 0) {
            return none("every tier is armed");
        }
        if (f.brokerState() != BrokerState.RUNNING) {
            return none("the broker is " + f.brokerState() + ": no arming while it is not running");
        }
        if (f.releasePending()) {
            return none("a release is waiting for the reserve");
        }
        if (f.runningPasses() < STEADY_PASSES) {
            return none("the broker has run for " + f.runningPasses() + " of " + STEADY_PASSES + " passes");
        }
        UnderReplication.Answer urp = f.replication();
        if (urp.verdict() == UnderReplication.Verdict.SOME) {
            return none("the broker has under-replicated partitions (" + urp.detail() + "): catch-up first");
        }
        if (f.tiersNeverArmed() > 0 && f.autoArm()) {
            return new Decision(Action.ARM, f.tiersNeverArmed() + " tier(s) never armed; reserve.auto.arm arms one");
        }
        if (f.tiersReleased() == 0) {
            return none(f.tiersNeverArmed() + " tier(s) never armed and reserve.auto.arm is false");
        }
        if (!f.rearmEnabled()) {
            return none("reserve.rearm.enabled is false");
        }
        Instant due = f.lastRelease().plus(f.rearmDelay());
        if (due.isAfter(f.now())) {
            return none("a tier was released at " + f.lastRelease() + "; re-arm waits until " + due);
        }
        if (urp.verdict() == UnderReplication.Verdict.NONE) {
            return new Decision(Action.REARM, "the cluster says: " + urp.detail());
        }
        if (f.crashNeedBytes().isEmpty()) {
            return none("the cluster cannot say (" + urp.detail() + ") and the write rate is not measured yet");
        }
        long after = f.usableBytes() - f.nextReleasedBytes();
        long need = f.crashNeedBytes().getAsLong();
        if (after < need) {
            return none("the cluster cannot say (" + urp.detail() + ") and re-arming "
                    + Sizes.human(f.nextReleasedBytes()) + " would leave " + Sizes.human(after) + " usable, less than the "
                    + Sizes.human(need) + " a crash now would need with the catch-up of an outage");
        }
        return new Decision(Action.REARM, "the cluster cannot say (" + urp.detail() + "), but after re-arming "
                + Sizes.human(f.nextReleasedBytes()) + " " + Sizes.human(after) + " stay usable, covering the "
                + Sizes.human(need) + " a crash now would need with the catch-up of an outage");
    }

    private static Decision none(String reason) {
        return new Decision(Action.NONE, reason);
    }
}
