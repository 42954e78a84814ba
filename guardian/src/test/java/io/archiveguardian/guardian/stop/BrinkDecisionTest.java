package io.archiveguardian.guardian.stop;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.stop.BrinkDecision.Action;
import io.archiveguardian.guardian.stop.BrinkDecision.Decision;
import io.archiveguardian.guardian.stop.BrinkDecision.Disk;
import io.archiveguardian.guardian.stop.BrinkDecision.Facts;
import io.archiveguardian.guardian.stop.BrinkDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The brink on every boundary: time to full against the shutdown time, the floor, JBOD, cooldown, state, measurement. */
class BrinkDecisionTest {

    static final long MIB = 1024L * 1024L;
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final Duration SHUTDOWN = Duration.ofSeconds(10);
    static final Duration MARGIN = Duration.ofSeconds(5);
    static final long MIN_USABLE = 16 * MIB;

    /** A filesystem with {@code usable} bytes left, filling at {@code rate} bytes/s, no ballast. */
    static Disk disk(String mount, long usable, double rate) {
        return new Disk(mount, List.of(mount + "/kafka-logs"), OptionalLong.of(usable), OptionalDouble.of(rate), 0, 0,
                OptionalLong.of(8 * MIB));
    }

    static Disk withBallast(Disk d, long armed, long largestTier, long cleanStartNeed) {
        return new Disk(d.mount(), d.logDirs(), d.usableBytes(), d.bytesPerSecond(), armed, largestTier,
                OptionalLong.of(cleanStartNeed));
    }

    static Facts facts(BrokerState state, Disk... disks) {
        return new Facts(true, state, List.of(disks), SHUTDOWN, MARGIN, MIN_USABLE, NOW, null, Duration.ofHours(1), false);
    }

    static Facts running(Disk... disks) {
        return facts(BrokerState.RUNNING, disks);
    }

    @Test
    void aDiskThatFillsBeforeACleanShutdownCouldFinishStopsTheBroker() {
        // 100 MiB at 8 MiB/s: full in 12.5 s < 10 s + 5 s
        Decision d = BrinkDecision.decide(running(disk("/data", 100 * MIB, 8 * MIB)));
        assertThat(d.action()).isEqualTo(Action.STOP);
        assertThat(d.reason()).isEqualTo(Reason.TIME_TO_FULL);
        assertThat(d.reason().label()).isEqualTo("time-to-full");
        assertThat(d.mounts()).containsExactly("/data");
        assertThat(d.releaseFirst()).isEmpty();
        assertThat(d.detail()).contains("/data: full in 13 s at 8 MiB/s", "a clean shutdown needs 15 s");
    }

    @Test
    void timeToFullJustAboveShutdownPlusMarginIsNotTheBrinkAndJustBelowIs() {
        // 15 s exactly at 8 MiB/s is 120 MiB: not below the window
        assertThat(BrinkDecision.decide(running(disk("/data", 120 * MIB, 8 * MIB))).action()).isEqualTo(Action.NONE);
        assertThat(BrinkDecision.decide(running(disk("/data", 120 * MIB - 1, 8 * MIB))).action()).isEqualTo(Action.STOP);
    }

    @Test
    void noWritesAndRoomLeftMeansNoStop() {
        assertThat(BrinkDecision.decide(running(disk("/data", 20 * MIB, 0))).action()).isEqualTo(Action.NONE);
        Disk unknownRate = new Disk("/data", List.of("/data/kafka-logs"), OptionalLong.of(20 * MIB), OptionalDouble.empty(),
                0, 0, OptionalLong.empty());
        assertThat(BrinkDecision.decide(running(unknownRate)).detail()).isEqualTo("no filesystem of the broker is at the brink");
    }

    @Test
    void usableBelowWhatAShutdownWritesStopsWhateverTheRate() {
        Decision d = BrinkDecision.decide(running(disk("/data", MIN_USABLE - 1, 0)));
        assertThat(d.action()).isEqualTo(Action.STOP);
        assertThat(d.reason()).isEqualTo(Reason.MIN_USABLE);
        assertThat(BrinkDecision.decide(running(disk("/data", MIN_USABLE, 0))).action()).isEqualTo(Action.NONE);
    }

    @Test
    void minUsableZeroTurnsThatRuleOff() {
        Facts f = new Facts(true, BrokerState.RUNNING, List.of(disk("/data", 0, 0)), SHUTDOWN, MARGIN, 0, NOW, null,
                Duration.ofHours(1), false);
        assertThat(BrinkDecision.decide(f).action()).isEqualTo(Action.NONE);
    }

    @Test
    void neverOnABrokerThatIsNotSeenRunning() {
        for (BrokerState s : List.of(BrokerState.UNKNOWN, BrokerState.STOPPED_CLEAN, BrokerState.STOPPED_UNCLEAN,
                BrokerState.NOT_FORMATTED)) {
            Decision d = BrinkDecision.decide(facts(s, disk("/data", MIB, 8 * MIB)));
            assertThat(d.action()).as(s.name()).isEqualTo(Action.NONE);
            assertThat(d.detail()).isEqualTo("the broker is " + s + ": only a broker seen RUNNING is ever stopped");
        }
    }

    @Test
    void neverOnAFailedMeasurement() {
        Disk unread = new Disk("/data2", List.of("/data2/kafka-logs"), OptionalLong.empty(), OptionalDouble.empty(), 0, 0,
                OptionalLong.empty());
        Decision d = BrinkDecision.decide(running(disk("/data", MIB, 8 * MIB), unread));
        assertThat(d.action()).isEqualTo(Action.NONE);
        assertThat(d.detail()).isEqualTo("the usable space of /data2 could not be read: no stop on a failed measurement");
    }

    @Test
    void withASiblingLogDirThatHasRoomKafkaTakesOnlyTheFullDirOffline() {
        Decision d = BrinkDecision.decide(running(disk("/data1", MIB, 8 * MIB), disk("/data2", 500 * MIB, 0)));
        assertThat(d.action()).isEqualTo(Action.NONE);
        assertThat(d.detail()).startsWith("log dir /data2/kafka-logs on /data2 still has room");
    }

    @Test
    void whenEveryLogDirIsAtTheBrinkTheBrokerIsStopped() {
        Decision d = BrinkDecision.decide(running(disk("/data1", MIB, 8 * MIB), disk("/data2", 10 * MIB, 1 * MIB)));
        assertThat(d.action()).isEqualTo(Action.STOP);
        assertThat(d.reason()).isEqualTo(Reason.MIN_USABLE);
        assertThat(d.mounts()).containsExactly("/data1", "/data2");
    }

    @Test
    void aTierAboveWhatACleanStartNeedsIsReleasedFirstToBuyTime() {
        // 64 MiB armed, tiers of 16 MiB, a clean start needs 40 MiB: 64 - 16 = 48 >= 40
        Disk d = withBallast(disk("/data", 50 * MIB, 8 * MIB), 64 * MIB, 16 * MIB, 40 * MIB);
        Decision decision = BrinkDecision.decide(running(d));
        assertThat(decision.action()).isEqualTo(Action.RELEASE);
        assertThat(decision.mounts()).containsExactly("/data");
    }

    @Test
    void noTierIsReleasedBelowWhatTheNextStartNeedsAfterACleanStop() {
        // 48 - 16 = 32 < 40: keep the ballast, stop instead
        Disk d = withBallast(disk("/data", 50 * MIB, 8 * MIB), 48 * MIB, 16 * MIB, 40 * MIB);
        Decision decision = BrinkDecision.decide(running(d));
        assertThat(decision.action()).isEqualTo(Action.STOP);
        assertThat(decision.releaseFirst()).isEmpty();
    }

    @Test
    void aShutdownWithoutRoomGetsATierFirstEvenBelowTheFloor() {
        Disk d = withBallast(disk("/data", 2 * MIB, 1 * MIB), 16 * MIB, 16 * MIB, 40 * MIB);
        Decision decision = BrinkDecision.decide(running(d));
        assertThat(decision.action()).isEqualTo(Action.STOP);
        assertThat(decision.releaseFirst()).containsExactly("/data");
    }

    @Test
    void aRestartsBudgetedCatchUpThatFitsIsNotTheBrink() {
        // 100 MiB left, writing 80 MiB/s: but 60 MiB of that is the catch-up the start was assessed to
        // need, and it fits: then the writing ends.
        Disk catchingUp = new Disk("/data", List.of("/data/kafka-logs"), OptionalLong.of(100 * MIB),
                OptionalDouble.of(80.0 * MIB), 0, 0, OptionalLong.of(8 * MIB), OptionalLong.of(60 * MIB));
        assertThat(BrinkDecision.decide(running(catchingUp)).action()).isEqualTo(Action.NONE);
        // The same catch-up on a disk that cannot hold it: the rate decides again.
        Disk tooBig = new Disk("/data", List.of("/data/kafka-logs"), OptionalLong.of(100 * MIB),
                OptionalDouble.of(80.0 * MIB), 0, 0, OptionalLong.of(8 * MIB), OptionalLong.of(100 * MIB + 1));
        assertThat(BrinkDecision.decide(running(tooBig)).action()).isEqualTo(Action.STOP);
        // Whatever the budget, below what a shutdown writes is the brink.
        Disk nearlyFull = new Disk("/data", List.of("/data/kafka-logs"), OptionalLong.of(10 * MIB),
                OptionalDouble.of(1.0 * MIB), 0, 0, OptionalLong.of(8 * MIB), OptionalLong.of(1 * MIB));
        assertThat(BrinkDecision.decide(running(nearlyFull)).reason()).isEqualTo(Reason.MIN_USABLE);
    }

    @Test
    void oneStopPerCooldown() {
        Facts recent = new Facts(true, BrokerState.RUNNING, List.of(disk("/data", MIB, 8 * MIB)), SHUTDOWN, MARGIN,
                MIN_USABLE, NOW, NOW.minus(Duration.ofMinutes(59)), Duration.ofHours(1), false);
        Decision d = BrinkDecision.decide(recent);
        assertThat(d.action()).isEqualTo(Action.NONE);
        assertThat(d.detail()).contains("stops it at most once per stop.cooldown.ms");
        Facts past = new Facts(true, BrokerState.RUNNING, List.of(disk("/data", MIB, 8 * MIB)), SHUTDOWN, MARGIN,
                MIN_USABLE, NOW, NOW.minus(Duration.ofHours(1)), Duration.ofHours(1), false);
        assertThat(BrinkDecision.decide(past).action()).isEqualTo(Action.STOP);
    }

    @Test
    void offWithOneKeyAndQuietWhileAStopRuns() {
        Facts off = new Facts(false, BrokerState.RUNNING, List.of(disk("/data", MIB, 8 * MIB)), SHUTDOWN, MARGIN,
                MIN_USABLE, NOW, null, Duration.ofHours(1), false);
        assertThat(BrinkDecision.decide(off).detail()).isEqualTo("stop.enabled=false: the guardian never stops the broker");
        Facts busy = new Facts(true, BrokerState.RUNNING, List.of(disk("/data", MIB, 8 * MIB)), SHUTDOWN, MARGIN,
                MIN_USABLE, NOW, null, Duration.ofHours(1), true);
        assertThat(BrinkDecision.decide(busy).detail()).isEqualTo("a stop is in progress");
    }

    @Test
    void theRateComesFromTheUsableSpaceOverTheWindow() {
        UsageRate rate = new UsageRate(Duration.ofSeconds(2));
        assertThat(rate.bytesPerSecond()).isEmpty();
        rate.add(NOW, 100 * MIB);
        assertThat(rate.bytesPerSecond()).isEmpty();
        rate.add(NOW.plusMillis(500), 96 * MIB);
        assertThat(rate.bytesPerSecond().getAsDouble()).isEqualTo(8.0 * MIB);
        rate.add(NOW.plusSeconds(10), 96 * MIB); // the older samples leave the window: no writes since
        rate.add(NOW.plusMillis(10_500), 96 * MIB);
        assertThat(rate.bytesPerSecond().getAsDouble()).isZero();
        rate.add(NOW.plusSeconds(11), 100 * MIB); // space returned: not a negative rate
        assertThat(rate.bytesPerSecond().getAsDouble()).isZero();
    }

    static Facts runningWithOffline(java.util.Set<String> offline, Disk... disks) {
        return new Facts(true, BrokerState.RUNNING, List.of(disks), SHUTDOWN, MARGIN, MIN_USABLE, NOW, null,
                Duration.ofHours(1), false, offline);
    }

    @Test
    void aSiblingLogDirThatKafkaTookOfflineMakesNoRoom() {
        // /data2 has room, but its lock is gone: Kafka took it offline, so the broker halts when /data1 fills.
        Decision d = BrinkDecision.decide(runningWithOffline(java.util.Set.of("/data2/kafka-logs"),
                disk("/data1", MIB, 8 * MIB), disk("/data2", 500 * MIB, 0)));
        assertThat(d.action()).isEqualTo(Action.STOP);
        assertThat(d.mounts()).containsExactly("/data1");
    }

    @Test
    void anOfflineSiblingsUnreadableSpaceDoesNotHoldTheStop() {
        Disk unread = new Disk("/data2", List.of("/data2/kafka-logs"), OptionalLong.empty(), OptionalDouble.empty(), 0, 0,
                OptionalLong.empty());
        assertThat(BrinkDecision.decide(runningWithOffline(java.util.Set.of("/data2/kafka-logs"),
                disk("/data1", MIB, 8 * MIB), unread)).action()).isEqualTo(Action.STOP);
        // The same sibling online: no stop on a failed measurement.
        assertThat(BrinkDecision.decide(running(disk("/data1", MIB, 8 * MIB), unread)).action()).isEqualTo(Action.NONE);
    }

    @Test
    void aFilesystemWithOneOnlineLogDirOfTwoStillMakesRoom() {
        Disk both = new Disk("/data2", List.of("/data2/a", "/data2/b"), OptionalLong.of(500 * MIB), OptionalDouble.of(0), 0, 0,
                OptionalLong.of(8 * MIB));
        Decision d = BrinkDecision.decide(runningWithOffline(java.util.Set.of("/data2/a"), disk("/data1", MIB, 8 * MIB), both));
        assertThat(d.action()).isEqualTo(Action.NONE);
        assertThat(d.detail()).startsWith("log dir /data2/b on /data2 still has room");
    }

    @Test
    void twoLogDirsOnOneFilesystemAreOneDiskAtTheBrink() {
        Disk shared = new Disk("/data", List.of("/data/a", "/data/b"), OptionalLong.of(MIB), OptionalDouble.of(8.0 * MIB), 0, 0,
                OptionalLong.of(8 * MIB));
        assertThat(BrinkDecision.decide(running(shared)).action()).isEqualTo(Action.STOP);
    }

    @Test
    void aSiblingJustOutsideTheBrinkHoldsTheStopAndJustInsideItDoesNot() {
        // The sibling fills at 8 MiB/s: 120 MiB is exactly shutdown + margin (15 s) away, not below it.
        Decision held = BrinkDecision.decide(running(disk("/data1", MIB, 8 * MIB), disk("/data2", 120 * MIB, 8 * MIB)));
        assertThat(held.action()).isEqualTo(Action.NONE);
        assertThat(held.detail()).startsWith("log dir /data2/kafka-logs on /data2 still has room");
        Decision stop = BrinkDecision.decide(running(disk("/data1", MIB, 8 * MIB), disk("/data2", 120 * MIB - 1, 8 * MIB)));
        assertThat(stop.action()).isEqualTo(Action.STOP);
        assertThat(BrinkDecision.brink(running(disk("/data1", MIB, 8 * MIB), disk("/data2", 120 * MIB, 8 * MIB))))
                .containsOnlyKeys("/data1");
    }

    @Test
    void ballastOnAnOfflineSiblingIsNotReleasedToBuyTime() {
        Disk offlineWithBallast = withBallast(disk("/data2", 500 * MIB, 0), 64 * MIB, 16 * MIB, 8 * MIB);
        Decision d = BrinkDecision.decide(runningWithOffline(java.util.Set.of("/data2/kafka-logs"),
                disk("/data1", MIB, 8 * MIB), offlineWithBallast));
        assertThat(d.action()).isEqualTo(Action.STOP);
    }

    @Test
    void aLogDirIsOfflineWhenTheRunningBrokerNoLongerHoldsItsLockButNotWhenItCannotBeRead() {
        var held = new io.archiveguardian.guardian.broker.LogDirBrokerState("/a", BrokerState.RUNNING, 42, "locked");
        var released = new io.archiveguardian.guardian.broker.LogDirBrokerState("/b", BrokerState.STOPPED_UNCLEAN, -1, "no lock");
        var unreadable = new io.archiveguardian.guardian.broker.LogDirBrokerState("/c", BrokerState.UNKNOWN, -1, "EIO");
        var tick = new io.archiveguardian.guardian.facts.GuardTick(NOW, BrokerState.RUNNING, BrokerState.RUNNING,
                java.util.Map.of("/a", held, "/b", released, "/c", unreadable));
        assertThat(StopDuty.offlineLogDirs(tick)).containsExactly("/b");
        var down = new io.archiveguardian.guardian.facts.GuardTick(NOW, BrokerState.RUNNING, BrokerState.STOPPED_UNCLEAN,
                java.util.Map.of("/b", released));
        assertThat(StopDuty.offlineLogDirs(down)).isEmpty();
    }
}
