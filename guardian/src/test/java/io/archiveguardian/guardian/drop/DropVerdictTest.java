package io.archiveguardian.guardian.drop;

import static io.archiveguardian.guardian.drop.ClusterFixture.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DropVerdictTest {

    private static ReplicaVerdict only(DropCandidates candidates) {
        assertThat(candidates.replicas()).hasSize(1);
        return candidates.replicas().get(0);
    }

    @Test
    void aReplicaOfATopicWithReplicationFactorOneIsNeverSafe() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1), List.of(1), 1, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("broker 1 is the last ISR member (ISR [1])");
    }

    @Test
    void aReplicaWithTwoOtherInSyncCopiesAndMinInsyncTwoIsSafe() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isTrue();
        assertThat(v.reason()).isEqualTo("2 in-sync copies on other live brokers [2, 3], need max(1, min.insync.replicas=2) = 2");
        assertThat(v.safeCopies()).containsExactly(2, 3);
        assertThat(v.bytes()).isEqualTo(GIB);
    }

    @Test
    void minInsyncReplicasOfZeroOrOneStillNeedsOneOtherCopy() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2)
                .partition("archive", 0, List.of(1, 2), List.of(1, 2), 0, GIB).plan(1, GIB));

        assertThat(v.safe()).isTrue();
        assertThat(v.reason()).isEqualTo("1 in-sync copy on other live brokers [2], need max(1, min.insync.replicas=0) = 1");
    }

    @Test
    void anIsrShrunkBelowMinInsyncReplicasMakesTheReplicaUnsafe() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync replica on other live brokers [2], "
                + "need max(1, min.insync.replicas=2) = 2 (ISR [1, 2], replicas [1, 2, 3])");
    }

    @Test
    void theStoppedLocalBrokerOutsideTheIsrMayDropWhenEnoughOthersAreInSync() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).stopped(1)
                .partition("archive", 0, List.of(1, 2, 3), List.of(2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isTrue();
        assertThat(v.safeCopies()).containsExactly(2, 3);
    }

    @Test
    void thisBrokerAsTheLastIsrMemberOfAThreeReplicaPartitionIsUnsafe() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1), 1, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("broker 1 is the last ISR member (ISR [1])");
    }

    @Test
    void thisBrokerAsTheLastEligibleLeaderReplicaIsUnsafe() {
        PartitionState p = new PartitionState(new TopicPartition("archive", 0), List.of(1, 2, 3), List.of(),
                List.of(1), List.of(), 2, false);
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).partition(p, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("broker 1 is the last ELR member (ISR [], ELR [1], last known ELR [])");
    }

    @Test
    void thisBrokerAsTheLastKnownElrMemberIsUnsafe() {
        PartitionState p = new PartitionState(new TopicPartition("archive", 0), List.of(1, 2, 3), List.of(),
                List.of(), List.of(1), 2, false);
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).partition(p, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).startsWith("broker 1 is the last ELR member");
    }

    @Test
    void anInSyncBrokerThatIsNotLiveDoesNotCount() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).stopped(3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync replica on other live brokers [2], "
                + "need max(1, min.insync.replicas=2) = 2 (ISR [1, 2, 3], replicas [1, 2, 3]; broker 3 is not live)");
    }

    @Test
    void anOfflineLogDirHoldingAnotherCopyMakesTheReplicaUnsafe() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).offline(3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync copy on an online log dir [2], "
                + "need max(1, min.insync.replicas=2) = 2 (broker 3 has offline log dir [/data/b3] and no online log dir holds it)");
    }

    @Test
    void anOfflineLogDirElsewhereStillLeavesEnoughCopiesWhenMinInsyncIsOne() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).offline(3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, GIB).plan(1, GIB));

        assertThat(v.safe()).isTrue();
        assertThat(v.safeCopies()).containsExactly(2);
    }

    @Test
    void anotherCopyOnADiskAtCriticalPressureDoesNotCount() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).pressure(2, DiskPressure.CRITICAL)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync copy on a disk not at critical pressure [3], "
                + "need max(1, min.insync.replicas=2) = 2 (log dir /data/b2 of broker 2 is at critical pressure "
                + "(Kafka reports 100 GiB usable of 1000 GiB))");
    }

    @Test
    void pressureReportedBySidecarsIsAppliedToTheSnapshot() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).snapshot()
                .withPressures(java.util.Map.of(new DiskRef(3, "/data/b3"), DiskPressure.CRITICAL));

        ReplicaVerdict v = only(DropPlanner.plan(snapshot, DropRequest.of(1, "/data/b1", GIB)));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).endsWith("(log dir /data/b3 of broker 3 is at critical pressure (Kafka reports 100 GiB "
                + "usable of 1000 GiB))");
    }

    @Test
    void unknownPressureIsNotHeldAgainstACopy() {
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).pressure(2, DiskPressure.UNKNOWN).pressure(3, DiskPressure.NORMAL)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, GIB).plan(1, GIB));

        assertThat(v.safe()).isTrue();
    }

    @Test
    void aPartitionBeingReassignedIsUnsafe() {
        PartitionState p = new PartitionState(new TopicPartition("archive", 0), List.of(1, 2, 3), List.of(1, 2, 3),
                List.of(), List.of(), 1, true);
        ReplicaVerdict v = only(ClusterFixture.brokers(1, 2, 3).partition(p, GIB).plan(1, GIB));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("a reassignment of this partition is in progress");
    }

    @Test
    void aDirectoryOfAPartitionUnknownToTheClusterIsUnsafe() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2).snapshot()
                .withLogDirsOf(1, List.of(LogDirState.online(1, "/data/b1", GIB, 10 * GIB,
                        List.of(ReplicaOnDisk.of("gone", 0, GIB)))));

        ReplicaVerdict v = only(DropPlanner.plan(snapshot, DropRequest.of(1, "/data/b1", GIB)));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("partition is not in the cluster metadata (deleted topic or stray directory)");
    }

    @Test
    void aReplicaOfAPartitionNoLongerAssignedToThisBrokerIsUnsafe() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(2, 3), List.of(2, 3), 1, GIB).snapshot()
                .withLogDirsOf(1, List.of(LogDirState.online(1, "/data/b1", GIB, 10 * GIB,
                        List.of(ReplicaOnDisk.of("archive", 0, GIB)))));

        ReplicaVerdict v = only(DropPlanner.plan(snapshot, DropRequest.of(1, "/data/b1", GIB)));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("broker 1 is not in the replica set [2, 3]");
    }

    @Test
    void aFutureReplicaIsUnsafe() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, GIB).snapshot()
                .withLogDirsOf(1, List.of(LogDirState.online(1, "/data/b1", GIB, 10 * GIB,
                        List.of(new ReplicaOnDisk(new TopicPartition("archive", 0), GIB, true)))));

        ReplicaVerdict v = only(DropPlanner.plan(snapshot, DropRequest.of(1, "/data/b1", GIB)));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).startsWith("future replica");
    }
}
