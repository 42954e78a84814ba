package io.archiveguardian.guardian.drop;

import static io.archiveguardian.guardian.drop.ClusterFixture.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DropPlannerTest {

    private static List<String> planned(DropCandidates c) {
        return c.plan().drops().stream().map(d -> d.replica().partition().toString()).toList();
    }

    @Test
    void theLargestSafeReplicasAreTakenSoTheFewestMovesFreeTheRequestedBytes() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 5 * GIB)
                .partition("a", 1, List.of(1, 2, 3), List.of(1, 2, 3), 1, 6 * GIB)
                .partition("a", 2, List.of(1, 2, 3), List.of(1, 2, 3), 1, 5 * GIB)
                .partition("a", 3, List.of(1, 2, 3), List.of(1, 2, 3), 1, 10 * GIB)
                .plan(1, 10 * GIB);

        assertThat(planned(c)).containsExactly("a-3");
        assertThat(c.plan().plannedBytes()).isEqualTo(10 * GIB);
        assertThat(c.plan().sufficient()).isTrue();
        assertThat(c.replicas()).extracting(ReplicaVerdict::bytes)
                .containsExactly(10 * GIB, 6 * GIB, 5 * GIB, 5 * GIB);
    }

    @Test
    void unsafeReplicasAreListedButNeverPlannedEvenWhenTheyAreTheLargest() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3)
                .partition("big", 0, List.of(1), List.of(1), 1, 50 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 3 * GIB)
                .partition("a", 1, List.of(1, 2, 3), List.of(1, 2, 3), 1, 2 * GIB)
                .plan(1, 4 * GIB);

        assertThat(planned(c)).containsExactly("a-0", "a-1");
        assertThat(c.safeBytes(ClusterFixture.dir(1))).isEqualTo(5 * GIB);
        assertThat(c.replicas()).hasSize(3);
    }

    @Test
    void amongEqualReplicasTheOneWhoseOtherCopiesHaveMoreHeadroomIsPreferred() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4, 5).usable(2, 10 * GIB).usable(3, 500 * GIB)
                .usable(4, 400 * GIB).usable(5, 600 * GIB)
                .partition("tight", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 5 * GIB)
                .partition("roomy", 0, List.of(1, 4, 5), List.of(1, 4, 5), 1, 5 * GIB)
                .plan(1, 5 * GIB);

        assertThat(planned(c)).containsExactly("roomy-0");
    }

    @Test
    void aSmallerReplicaWithMoreHeadroomReplacesALargerOneWhenItStillFreesEnough() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4, 5).usable(2, 10 * GIB).usable(3, 10 * GIB)
                .usable(4, 400 * GIB).usable(5, 600 * GIB)
                .partition("tight", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 10 * GIB)
                .partition("roomy", 0, List.of(1, 4, 5), List.of(1, 4, 5), 1, 9 * GIB)
                .plan(1, 9 * GIB);

        assertThat(planned(c)).containsExactly("roomy-0");
        assertThat(c.plan().drops()).hasSize(1);
    }

    @Test
    void headroomNeverCostsAnExtraMove() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4, 5).usable(2, 10 * GIB).usable(3, 10 * GIB)
                .usable(4, 400 * GIB).usable(5, 600 * GIB)
                .partition("tight", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 10 * GIB)
                .partition("roomy", 0, List.of(1, 4, 5), List.of(1, 4, 5), 1, 9 * GIB)
                .plan(1, 10 * GIB);

        assertThat(planned(c)).containsExactly("tight-0");
    }

    @Test
    void twoReplicasOfOnePartitionAreNotBothPlannedWhenTogetherTheyBreakTheRule() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 8 * GIB)
                .partition("other", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, GIB)
                .snapshot();
        DropRequest request = new DropRequest(List.of(new DiskRef(1, "/data/b1"), new DiskRef(2, "/data/b2")), 20 * GIB);

        DropCandidates c = DropPlanner.plan(snapshot, request);

        assertThat(c.replicas()).filteredOn(r -> r.topic().equals("archive")).allMatch(ReplicaVerdict::safe).hasSize(2);
        assertThat(c.plan().drops()).filteredOn(d -> d.replica().topic().equals("archive")).hasSize(1);
        assertThat(c.plan().drops()).filteredOn(d -> d.replica().topic().equals("other")).hasSize(2);
        assertThat(c.plan().sufficient()).isFalse();
    }

    @Test
    void twoReplicasOfOnePartitionAreBothPlannedWhenTheRuleStillHoldsForTheSecond() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2, 3)
                .partition("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 8 * GIB)
                .snapshot();
        DropRequest request = new DropRequest(List.of(new DiskRef(1, "/data/b1"), new DiskRef(2, "/data/b2")), 16 * GIB);

        DropCandidates c = DropPlanner.plan(snapshot, request);

        assertThat(c.plan().drops()).hasSize(2);
        assertThat(c.plan().drops().get(1).currentReplicas()).containsExactly(2, 3);
        assertThat(c.plan().drops().get(1).newReplicas()).containsExactly(3);
        assertThat(c.plan().drops().get(1).resultingReplicationFactor()).isEqualTo(1);
    }

    @Test
    void aPlanThatCannotFreeEnoughSaysByHowMuchItFallsShort() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 3 * GIB)
                .partition("a", 1, List.of(1), List.of(1), 1, 40 * GIB)
                .plan(1, 20 * GIB);

        assertThat(c.plan().sufficient()).isFalse();
        assertThat(c.plan().plannedBytes()).isEqualTo(3 * GIB);
        assertThat(c.plan().shortfallBytes()).isEqualTo(17 * GIB);
    }

    @Test
    void theReassignmentTargetIsTheLiveBrokerOutsideTheReplicaSetWithTheMostRoom() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4, 5).usable(4, 300 * GIB).usable(5, 500 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 10 * GIB)
                .plan(1, 10 * GIB);

        PlannedDrop d = c.plan().drops().get(0);
        assertThat(d.target()).isEqualTo(OptionalInt.of(5));
        assertThat(d.newReplicas()).containsExactly(2, 3, 5);
        assertThat(d.resultingReplicationFactor()).isEqualTo(3);
    }

    @Test
    void withoutABrokerThatCanHoldTheCopyTheReplicationFactorIsReduced() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4).usable(4, 105 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 10 * GIB)
                .plan(1, 10 * GIB);

        PlannedDrop d = c.plan().drops().get(0);
        assertThat(d.target()).isEmpty();
        assertThat(d.newReplicas()).containsExactly(2, 3);
        assertThat(d.resultingReplicationFactor()).isEqualTo(2);
    }

    @Test
    void aTargetIsNotGivenMoreThanItCanHoldAcrossThePlan() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3, 4).usable(4, 200 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 60 * GIB)
                .partition("a", 1, List.of(1, 2, 3), List.of(1, 2, 3), 2, 50 * GIB)
                .plan(1, 110 * GIB);

        assertThat(c.plan().drops()).extracting(PlannedDrop::target)
                .containsExactly(OptionalInt.of(4), OptionalInt.empty());
    }

    @Test
    void aLogDirThatIsNotInTheClusterViewIsRejectedNamingTheKnownOnes() {
        ClusterSnapshot snapshot = ClusterFixture.brokers(1, 2).snapshot();

        assertThatThrownBy(() -> DropPlanner.plan(snapshot, DropRequest.of(1, "/nope", GIB)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log dir /nope of broker 1 is not in the cluster view; log dirs of broker 1: [/data/b1]");
    }

    @Test
    void askingForNothingPlansNothing() {
        DropCandidates c = ClusterFixture.brokers(1, 2, 3)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 3 * GIB)
                .plan(1, 0);

        assertThat(c.plan().drops()).isEmpty();
        assertThat(c.plan().sufficient()).isTrue();
        assertThat(c.safeBytes()).isEqualTo(3 * GIB);
    }
}
