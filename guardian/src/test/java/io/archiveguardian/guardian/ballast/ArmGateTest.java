package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.ballast.ArmGate.Action;
import io.archiveguardian.guardian.ballast.ArmGate.Decision;
import io.archiveguardian.guardian.ballast.ArmGate.Facts;
import io.archiveguardian.guardian.ballast.UnderReplication.Answer;
import io.archiveguardian.guardian.ballast.UnderReplication.Verdict;
import io.archiveguardian.guardian.broker.BrokerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every branch of the arm / re-arm decision, records in, decision and reason out. */
class ArmGateTest {

    static final long MIB = 1024 * 1024;
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    static final Answer NO_URP = new Answer(Verdict.NONE, NOW, List.of(), 0, "no under-replicated partition on broker 1 (3 topics)");
    static final Answer URP = new Answer(Verdict.SOME, NOW, List.of(new TopicPartition("archive", 4)), 1,
            "1 under-replicated partition(s) on broker 1, e.g. [archive-4]");
    static final Answer CANNOT_SAY = new Answer(Verdict.CANNOT_SAY, NOW, List.of(), 0, "the cluster did not answer within 3000 ms");

    /** A fresh install: nothing armed yet, the broker running steadily, nothing in the way. */
    static Facts freshInstall() {
        return new Facts(true, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ofMinutes(10),
                4, 0, 0, CANNOT_SAY, 100 * MIB, OptionalLong.empty());
    }

    /** A tier of 16 MiB released an hour ago, the broker running steadily, auto-arm done. */
    static Facts releasedTier(Answer replication, long usable, OptionalLong crashNeed) {
        return new Facts(true, true, BrokerState.RUNNING, 10, false, NOW, NOW.minus(Duration.ofHours(1)),
                Duration.ofMinutes(10), 0, 1, 16 * MIB, replication, usable, crashNeed);
    }

    static Facts with(Facts f, BrokerState state) {
        return new Facts(f.autoArm(), f.rearmEnabled(), state, f.runningPasses(), f.releasePending(), f.now(),
                f.lastRelease(), f.rearmDelay(), f.tiersNeverArmed(), f.tiersReleased(), f.nextReleasedBytes(),
                f.replication(), f.usableBytes(), f.crashNeedBytes());
    }

    @Test
    void aFreshInstallArmsOneTierOnceTheBrokerHasRunForThreePasses() {
        Decision d = ArmGate.decide(freshInstall());

        assertThat(d).isEqualTo(new Decision(Action.ARM, "4 tier(s) never armed; reserve.auto.arm arms one"));
    }

    @ParameterizedTest
    @EnumSource(value = BrokerState.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void nothingIsArmedWhileTheBrokerIsNotRunningUnknownIncluded(BrokerState state) {
        assertThat(ArmGate.decide(with(freshInstall(), state)))
                .isEqualTo(new Decision(Action.NONE, "the broker is " + state + ": no arming while it is not running"));
        assertThat(ArmGate.decide(with(releasedTier(NO_URP, 100 * MIB, OptionalLong.empty()), state)).action())
                .isEqualTo(Action.NONE);
    }

    @Test
    void nothingIsArmedWhileAReleaseIsWaiting() {
        Facts f = freshInstall();
        Facts pending = new Facts(true, true, BrokerState.RUNNING, 3, true, NOW, Instant.EPOCH, f.rearmDelay(),
                4, 0, 0, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(pending)).isEqualTo(new Decision(Action.NONE, "a release is waiting for the reserve"));
    }

    @Test
    void aBrokerThatHasJustStartedIsLeftToItsRecovery() {
        Facts f = freshInstall();
        Facts young = new Facts(true, true, BrokerState.RUNNING, 2, false, NOW, Instant.EPOCH, f.rearmDelay(),
                4, 0, 0, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(young)).isEqualTo(new Decision(Action.NONE, "the broker has run for 2 of 3 passes"));
    }

    @Test
    void everyTierArmedMeansNothingToDo() {
        Facts f = new Facts(true, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ZERO,
                0, 0, 0, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f)).isEqualTo(new Decision(Action.NONE, "every tier is armed"));
    }

    @Test
    void withAutoArmOffANeverArmedReserveStaysUnarmed() {
        Facts f = new Facts(false, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ZERO,
                4, 0, 0, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f)).isEqualTo(new Decision(Action.NONE, "4 tier(s) never armed and reserve.auto.arm is false"));
    }

    @Test
    void withAutoArmOffAReleasedTierIsStillReArmedByTheReArmRule() {
        Facts f = new Facts(false, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ZERO,
                2, 1, 16 * MIB, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f).action()).isEqualTo(Action.REARM);
    }

    @Test
    void reArmOffMeansNoReArm() {
        Facts f = new Facts(true, false, BrokerState.RUNNING, 10, false, NOW, Instant.EPOCH, Duration.ZERO,
                0, 1, 16 * MIB, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f)).isEqualTo(new Decision(Action.NONE, "reserve.rearm.enabled is false"));
    }

    @Test
    void reArmWaitsTheDelayAfterARelease() {
        Facts f = new Facts(true, true, BrokerState.RUNNING, 10, false, NOW, NOW.minus(Duration.ofMinutes(4)),
                Duration.ofMinutes(10), 0, 1, 16 * MIB, NO_URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f)).isEqualTo(new Decision(Action.NONE,
                "a tier was released at 2026-11-30T09:56:00Z; re-arm waits until 2026-11-30T10:06:00Z"));
    }

    @Test
    void underReplicatedPartitionsMeanCatchUpFirstWhateverTheSpace() {
        Decision d = ArmGate.decide(releasedTier(URP, 10_000 * MIB, OptionalLong.of(MIB)));

        assertThat(d).isEqualTo(new Decision(Action.NONE, "the broker has under-replicated partitions "
                + "(1 under-replicated partition(s) on broker 1, e.g. [archive-4]): catch-up first"));
    }

    @Test
    void noUnderReplicatedPartitionsAllowTheReArm() {
        Decision d = ArmGate.decide(releasedTier(NO_URP, 20 * MIB, OptionalLong.empty()));

        assertThat(d).isEqualTo(new Decision(Action.REARM, "the cluster says: no under-replicated partition on broker 1 (3 topics)"));
    }

    @Test
    void whenTheClusterCannotSayAndNoRateIsMeasuredNothingIsReArmed() {
        Decision d = ArmGate.decide(releasedTier(CANNOT_SAY, 10_000 * MIB, OptionalLong.empty()));

        assertThat(d).isEqualTo(new Decision(Action.NONE, "the cluster cannot say (the cluster did not answer within "
                + "3000 ms) and the write rate is not measured yet"));
    }

    @Test
    void whenTheClusterCannotSayTheHeadroomAfterReArmingMustCoverACrashNow() {
        Decision refused = ArmGate.decide(releasedTier(CANNOT_SAY, 80 * MIB, OptionalLong.of(64 * MIB + 1)));
        Decision allowed = ArmGate.decide(releasedTier(CANNOT_SAY, 80 * MIB, OptionalLong.of(64 * MIB)));

        assertThat(refused).isEqualTo(new Decision(Action.NONE, "the cluster cannot say (the cluster did not answer "
                + "within 3000 ms) and re-arming 16 MiB would leave 64 MiB usable, less than the 64 MiB a crash now "
                + "would need with the catch-up of an outage"));
        assertThat(allowed.action()).isEqualTo(Action.REARM);
        assertThat(allowed.reason()).isEqualTo("the cluster cannot say (the cluster did not answer within 3000 ms), but "
                + "after re-arming 16 MiB 64 MiB stay usable, covering the 64 MiB a crash now would need with the "
                + "catch-up of an outage");
    }

    @Test
    void autoArmComesBeforeReArmWhenBothAreDue() {
        Facts f = new Facts(true, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ZERO,
                1, 1, 16 * MIB, CANNOT_SAY, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f).action()).isEqualTo(Action.ARM);
    }

    @Test
    void evenAFreshReserveWaitsWhileTheClusterSaysTheBrokerIsCatchingUp() {
        Facts f = new Facts(true, true, BrokerState.RUNNING, 3, false, NOW, Instant.EPOCH, Duration.ZERO,
                4, 0, 0, URP, 100 * MIB, OptionalLong.empty());

        assertThat(ArmGate.decide(f).action()).isEqualTo(Action.NONE);
        assertThat(ArmGate.decide(f).reason()).endsWith("catch-up first");
    }
}
