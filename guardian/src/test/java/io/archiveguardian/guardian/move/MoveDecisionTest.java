package io.archiveguardian.guardian.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.disk.PressureAssessor;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.disk.PressureThresholds;
import io.archiveguardian.guardian.disk.SpaceSample;
import io.archiveguardian.guardian.move.MoveDecision.Decision;
import io.archiveguardian.guardian.move.MoveDecision.Facts;
import io.archiveguardian.guardian.move.MoveDecision.Filesystem;
import io.archiveguardian.guardian.move.MoveDecision.LogDir;
import io.archiveguardian.guardian.move.MoveDecision.Replica;
import io.archiveguardian.guardian.move.MoveDecision.State;
import io.archiveguardian.guardian.stop.BrinkDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The JBOD step on its boundaries. Filesystems of 1 GiB on the default thresholds: warn when usable
 * space is below 30% (307.2 MiB), high below 20% (204.8 MiB), critical below 10%; cordon.level high.
 */
class MoveDecisionTest {

    static final long MIB = 1024L * 1024L;
    static final long GIB = 1024 * MIB;
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final PressureThresholds T = PressureThresholds.DEFAULTS;
    /** The high floor of a 1 GiB filesystem: 20% of it. */
    static final long HIGH_FLOOR = (long) Math.floor(GIB * 0.2);
    static final long WARN_FLOOR = (long) Math.floor(GIB * 0.3);

    static final String A = "/a/kafka-logs";
    static final String B = "/b/kafka-logs";
    static final String C = "/c/kafka-logs";

    /** A 1 GiB filesystem with {@code usable} bytes left, its level as the watch duty assesses it. */
    static Filesystem fs(String mount, long usable) {
        SpaceSample s = new SpaceSample(NOW, GIB, usable, usable, 0);
        return new Filesystem(mount, s, PressureAssessor.assess(s, PressureLevel.OK, T).level(), null, 0);
    }

    static Filesystem atBrink(Filesystem f) {
        return new Filesystem(f.mount(), f.space(), f.level(), f.mount() + ": full in 9s", f.deletingBytes());
    }

    static Filesystem deleting(Filesystem f, long bytes) {
        return new Filesystem(f.mount(), f.space(), f.level(), f.brink(), bytes);
    }

    static LogDir dir(String path, String mount) {
        return new LogDir(path, mount, true, false);
    }

    static Replica replica(String name, String dir, long size) {
        int dash = name.lastIndexOf('-');
        return new Replica(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))), dir, size, false);
    }

    static Replica future(String name, String dir, long size) {
        Replica r = replica(name, dir, size);
        return new Replica(r.partition(), dir, size, true);
    }

    static Facts facts(List<LogDir> dirs, List<Filesystem> filesystems, List<Replica> replicas, long budget) {
        return new Facts(true, BrokerState.RUNNING, null, dirs, filesystems, replicas, T, PressureLevel.HIGH, budget);
    }

    static Facts twoDisks(long sourceUsable, long destUsable, List<Replica> replicas) {
        return facts(List.of(dir(A, "/a"), dir(B, "/b")), List.of(fs("/a", sourceUsable), fs("/b", destUsable)), replicas, 10 * GIB);
    }

    /** Four replicas on A: 100, 80, 40 and 10 MiB, and one empty. */
    static List<Replica> onA() {
        return List.of(replica("t-3", A, 10 * MIB), replica("t-0", A, 100 * MIB), replica("t-2", A, 40 * MIB),
                replica("t-1", A, 80 * MIB), replica("t-4", A, 0));
    }

    static List<String> moved(Decision d) {
        return d.moves().stream().map(m -> m.partition() + " " + m.fromDir() + " -> " + m.toDir()).toList();
    }

    @Test
    void aDirAtCordonLevelShedsItsLargestReplicasToTheSiblingUntilItWouldBeBelowWarn() {
        // 150 MiB usable: high. Below warn needs 307.2 MiB usable: 157.2 MiB must go. 100 + 80 covers it.
        Decision d = MoveDecision.decide(twoDisks(150 * MIB, 900 * MIB, onA()));
        assertThat(d.state()).isEqualTo(State.MOVING);
        assertThat(moved(d)).containsExactly("t-0 " + A + " -> " + B, "t-1 " + A + " -> " + B);
        assertThat(d.bytes()).isEqualTo(180 * MIB);
        assertThat(d.detail()).startsWith("moving 2 replicas (180 MiB): t-0 " + A + " -> " + B + " (100 MiB)");
    }

    @Test
    void theNeedIsWhatBringsTheSourceBackBelowWarnToTheByte() {
        SpaceSample s = new SpaceSample(NOW, GIB, 150 * MIB, 150 * MIB, 0);
        assertThat(MoveDecision.bytesToBelowWarn(s, T)).isEqualTo(WARN_FLOOR - 150 * MIB);
        SpaceSample ok = new SpaceSample(NOW, GIB, WARN_FLOOR, WARN_FLOOR, 0);
        assertThat(MoveDecision.bytesToBelowWarn(ok, T)).isZero();
    }

    @Test
    void belowCordonLevelNothingMoves() {
        // warn (250 MiB usable) is below cordon.level high
        Decision d = MoveDecision.decide(twoDisks(250 * MIB, 900 * MIB, onA()));
        assertThat(d.state()).isEqualTo(State.IDLE);
        assertThat(d.moves()).isEmpty();
        assertThat(d.detail()).isEqualTo("no log dir of the broker is at cordon.level high or at the brink");
    }

    @Test
    void aDirAtTheBrinkIsASourceEvenBelowCordonLevel() {
        Facts f = facts(List.of(dir(A, "/a"), dir(B, "/b")), List.of(atBrink(fs("/a", 250 * MIB)), fs("/b", 900 * MIB)),
                onA(), 10 * GIB);
        Decision d = MoveDecision.decide(f);
        assertThat(d.state()).isEqualTo(State.MOVING);
        assertThat(moved(d)).containsExactly("t-0 " + A + " -> " + B); // 57.2 MiB to go: the largest covers it
    }

    @Test
    void theDestinationStaysBelowCordonLevelToTheByte() {
        // The destination may receive exactly what leaves it at the high floor, not a byte more.
        long room = 300 * MIB - HIGH_FLOOR;
        Decision fits = MoveDecision.decide(twoDisks(150 * MIB, 300 * MIB, List.of(replica("t-0", A, room))));
        assertThat(moved(fits)).containsExactly("t-0 " + A + " -> " + B);
        Decision over = MoveDecision.decide(twoDisks(150 * MIB, 300 * MIB, List.of(replica("t-0", A, room + 1))));
        assertThat(over.moves()).isEmpty();
        assertThat(over.state()).isEqualTo(State.BLOCKED);
        assertThat(over.detail()).contains("1 would take a destination to cordon.level high");
    }

    @Test
    void aReplicaTooBigForTheDestinationIsSkippedForSmallerOnes() {
        // 300 MiB usable on B: 95.2 MiB below high. 100 MiB does not fit, 80 does, then 40 no longer, 10 does.
        Decision d = MoveDecision.decide(twoDisks(150 * MIB, 300 * MIB, onA()));
        assertThat(moved(d)).containsExactly("t-1 " + A + " -> " + B, "t-3 " + A + " -> " + B);
        assertThat(d.state()).isEqualTo(State.MOVING);
        assertThat(d.detail()).contains("/a at high (cordon.level high): 67.2 MiB more to move");
    }

    @Test
    void eachReplicaGoesToTheDestinationWithTheMostRoom() {
        Facts f = facts(List.of(dir(A, "/a"), dir(B, "/b"), dir(C, "/c")),
                List.of(fs("/a", 150 * MIB), fs("/b", 500 * MIB), fs("/c", 560 * MIB)), onA(), 10 * GIB);
        Decision d = MoveDecision.decide(f);
        // t-0 (100) to C (560 -> 460), then t-1 (80) to B (500 > 460)
        assertThat(moved(d)).containsExactly("t-0 " + A + " -> " + C, "t-1 " + A + " -> " + B);
    }

    @Test
    void neverIntoACordonedAnOfflineADirAtTheBrinkOrAtCordonLevel() {
        String d2 = "/d/kafka-logs";
        Facts f = facts(List.of(dir(A, "/a"), new LogDir(B, "/b", true, true), new LogDir(C, "/c", false, false), dir(d2, "/d")),
                List.of(fs("/a", 150 * MIB), fs("/b", 900 * MIB), fs("/c", 900 * MIB), atBrink(fs("/d", 900 * MIB))),
                onA(), 10 * GIB);
        Decision d = MoveDecision.decide(f);
        assertThat(d.state()).isEqualTo(State.BLOCKED);
        assertThat(d.moves()).isEmpty();
        assertThat(d.detail()).startsWith("/a at high (cordon.level high), 157.2 MiB to move: no sibling log dir can take "
                + "replicas (" + B + " cordoned, " + C + " offline, " + d2 + " at the brink); ");
        Facts high = facts(List.of(dir(A, "/a"), dir(B, "/b")), List.of(fs("/a", 150 * MIB), fs("/b", 200 * MIB)), onA(), 10 * GIB);
        assertThat(MoveDecision.decide(high).detail()).startsWith("/a at high (cordon.level high), 157.2 MiB to move: no "
                + "sibling log dir can take replicas (" + B + " at high);");
    }

    @Test
    void aSiblingOnTheSameFilesystemIsNoDestination() {
        String a2 = "/a/kafka-logs-2";
        Facts f = facts(List.of(dir(A, "/a"), dir(a2, "/a"), dir(B, "/b")),
                List.of(fs("/a", 150 * MIB), fs("/b", 900 * MIB)), onA(), 10 * GIB);
        assertThat(MoveDecision.decide(f).moves()).allSatisfy(m -> assertThat(m.toDir()).isEqualTo(B));
        Facts oneFs = facts(List.of(dir(A, "/a"), dir(a2, "/a")), List.of(fs("/a", 150 * MIB)), onA(), 10 * GIB);
        Decision d = MoveDecision.decide(oneFs);
        assertThat(d.state()).isEqualTo(State.IDLE);
        assertThat(d.detail()).isEqualTo("every online log dir of the broker is on /a: no other filesystem to move "
                + "replicas to (this step is for JBOD)");
    }

    @Test
    void aReplicaAlreadyMovingIsNeverPickedAndWhatLeavesCounts() {
        List<Replica> replicas = new ArrayList<>(onA());
        replicas.add(future("t-0", B, 30 * MIB)); // t-0 (100 MiB) is on its way to B
        Decision d = MoveDecision.decide(twoDisks(150 * MIB, 900 * MIB, replicas));
        // 157.2 - 100 leaving = 57.2 MiB: t-1 (80) covers it; t-0 is not picked again
        assertThat(moved(d)).containsExactly("t-1 " + A + " -> " + B);
        assertThat(d.detail()).endsWith("1 replica moving (100 MiB in flight)");
    }

    @Test
    void replicasTheBrokerIsDeletingCountAsLeaving() {
        Facts f = facts(List.of(dir(A, "/a"), dir(B, "/b")), List.of(deleting(fs("/a", 150 * MIB), 160 * MIB), fs("/b", 900 * MIB)),
                onA(), 10 * GIB);
        Decision d = MoveDecision.decide(f);
        assertThat(d.state()).isEqualTo(State.IDLE);
        assertThat(d.detail()).isEqualTo("/a at high (cordon.level high): enough is leaving it (160 MiB moving or being deleted)");
    }

    @Test
    void theBudgetCountsWhatIsInFlightAndAReplicaLargerThanItMovesAlone() {
        // budget 120 MiB: t-0 (100) fits; 80 and 40 would exceed it; 10 fits again
        Facts f = new Facts(true, BrokerState.RUNNING, null, List.of(dir(A, "/a"), dir(B, "/b")),
                List.of(fs("/a", 150 * MIB), fs("/b", 900 * MIB)), onA(), T, PressureLevel.HIGH, 120 * MIB);
        Decision d = MoveDecision.decide(f);
        assertThat(moved(d)).containsExactly("t-0 " + A + " -> " + B, "t-3 " + A + " -> " + B);
        assertThat(d.detail()).contains("2 held back by move.budget.bytes 120 MiB (0 B in flight)");

        // budget 50 MiB, nothing in flight: the largest goes, alone
        Facts small = new Facts(true, BrokerState.RUNNING, null, f.logDirs(), f.filesystems(), onA(), T, PressureLevel.HIGH, 50 * MIB);
        assertThat(moved(MoveDecision.decide(small))).containsExactly("t-0 " + A + " -> " + B);

        // the same with 20 MiB in flight (another replica, to C): only what fits beside it
        List<Replica> busy = new ArrayList<>(onA());
        busy.add(replica("u-0", A, 20 * MIB));
        busy.add(future("u-0", B, 0));
        Facts inFlight = new Facts(true, BrokerState.RUNNING, null, f.logDirs(), f.filesystems(), busy, T, PressureLevel.HIGH, 50 * MIB);
        assertThat(moved(MoveDecision.decide(inFlight))).containsExactly("t-3 " + A + " -> " + B);
    }

    @Test
    void nothingWhileTheBrokerIsNotRunningWithoutTheClusterOrWhenOff() {
        for (BrokerState s : List.of(BrokerState.UNKNOWN, BrokerState.STOPPED_CLEAN, BrokerState.STOPPED_UNCLEAN)) {
            Facts f = new Facts(true, s, null, List.of(), List.of(), List.of(), T, PressureLevel.HIGH, GIB);
            Decision d = MoveDecision.decide(f);
            assertThat(d.state()).isEqualTo(State.WAITING);
            assertThat(d.detail()).isEqualTo("the broker is " + s + ": replicas are moved only while it runs");
        }
        Facts silent = new Facts(true, BrokerState.RUNNING, "timed out", List.of(), List.of(), List.of(), T, PressureLevel.HIGH, GIB);
        assertThat(MoveDecision.decide(silent).state()).isEqualTo(State.WAITING);
        assertThat(MoveDecision.decide(silent).detail()).isEqualTo("the cluster cannot be asked (timed out): replicas are "
                + "moved only on its answer");
        Facts off = new Facts(false, BrokerState.RUNNING, null, List.of(), List.of(), List.of(), T, PressureLevel.HIGH, GIB);
        assertThat(MoveDecision.decide(off).state()).isEqualTo(State.OFF);
    }

    @Test
    void theStopAndTheMoveAgreeOnWhetherASiblingCanTakeIt() {
        // /a at the brink. /b: room and not at the brink -> the move has a destination and the stop waits.
        Facts move = facts(List.of(dir(A, "/a"), dir(B, "/b")), List.of(atBrink(fs("/a", 30 * MIB)), fs("/b", 900 * MIB)),
                onA(), 10 * GIB);
        assertThat(MoveDecision.decide(move).moves()).isNotEmpty();
        assertThat(BrinkDecision.decide(brinkFacts(30 * MIB, 900 * MIB, 0)).action()).isEqualTo(BrinkDecision.Action.NONE);
        // /b at the brink too (it fills fast): no destination, and the stop fires.
        Facts none = facts(List.of(dir(A, "/a"), dir(B, "/b")),
                List.of(atBrink(fs("/a", 30 * MIB)), atBrink(fs("/b", 900 * MIB))), onA(), 10 * GIB);
        assertThat(MoveDecision.decide(none).state()).isEqualTo(State.BLOCKED);
        assertThat(BrinkDecision.decide(brinkFacts(30 * MIB, 900 * MIB, 100.0 * MIB)).action()).isEqualTo(BrinkDecision.Action.STOP);
    }

    @Test
    void atTheBrinkDeletedCopiesDoNotHoldTheNextMoveButAMoveOnItsWayOutDoes() {
        // 160 MiB of replaced copies wait for file.delete.delay.ms; the disk fills faster than that.
        Facts f = facts(List.of(dir(A, "/a"), dir(B, "/b")),
                List.of(deleting(atBrink(fs("/a", 150 * MIB)), 160 * MIB), fs("/b", 900 * MIB)), onA(), 10 * GIB);
        assertThat(moved(MoveDecision.decide(f))).containsExactly("t-0 " + A + " -> " + B);
        List<Replica> leaving = new ArrayList<>(onA());
        leaving.add(future("t-0", B, MIB));
        Facts busy = facts(f.logDirs(), f.filesystems(), leaving, 10 * GIB);
        Decision d = MoveDecision.decide(busy);
        assertThat(d.moves()).isEmpty();
        assertThat(d.state()).isEqualTo(State.MOVING);
    }

    @Test
    void aReplicaMidSwapOrJustMovedIsNotPickedAgain() {
        // The broker reports t-0 in both dirs while it swaps the future in.
        List<Replica> swapping = new ArrayList<>(onA());
        swapping.add(replica("t-0", B, 100 * MIB));
        assertThat(MoveDecision.decide(twoDisks(150 * MIB, 900 * MIB, swapping)).moves())
                .noneMatch(m -> m.partition().equals(new TopicPartition("t", 0)));
        Facts settling = new Facts(true, BrokerState.RUNNING, null, List.of(dir(A, "/a"), dir(B, "/b")),
                List.of(fs("/a", 150 * MIB), fs("/b", 900 * MIB)), onA(), T, PressureLevel.HIGH, 10 * GIB,
                java.util.Set.of(new TopicPartition("t", 0)));
        assertThat(moved(MoveDecision.decide(settling)))
                .containsExactly("t-1 " + A + " -> " + B, "t-2 " + A + " -> " + B, "t-3 " + A + " -> " + B);
    }

    private static BrinkDecision.Facts brinkFacts(long usableA, long usableB, double rateB) {
        var a = new BrinkDecision.Disk("/a", List.of(A), OptionalLong.of(usableA), OptionalDouble.of(8.0 * MIB), 0, 0,
                OptionalLong.of(8 * MIB));
        var b = new BrinkDecision.Disk("/b", List.of(B), OptionalLong.of(usableB), OptionalDouble.of(rateB), 0, 0,
                OptionalLong.of(8 * MIB));
        return new BrinkDecision.Facts(true, BrokerState.RUNNING, List.of(a, b), Duration.ofSeconds(10), Duration.ofSeconds(5),
                16 * MIB, NOW, null, Duration.ofHours(1), false);
    }
}
