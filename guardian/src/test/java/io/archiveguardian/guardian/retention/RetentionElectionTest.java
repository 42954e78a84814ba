package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetentionElectionTest {

    @Test
    void theSidecarOfTheLowestLiveBrokerIdRepairs() {
        RepairElection e = RepairElection.of(List.of(7, 3, 5), OptionalInt.of(3));

        assertThat(e.repairer()).hasValue(3);
        assertThat(e.thisNodeRepairs()).isTrue();
        assertThat(e.explain()).isEqualTo("this sidecar (broker 3) is the repairer: lowest live broker id of [3, 5, 7]");
    }

    @Test
    void everyOtherSidecarOnlyReportsAndNamesTheRepairer() {
        RepairElection e = RepairElection.of(List.of(7, 3, 5), OptionalInt.of(5));

        assertThat(e.thisNodeRepairs()).isFalse();
        assertThat(e.explain()).isEqualTo("broker 3 is the repairer (lowest live broker id of [3, 5, 7]); "
                + "this sidecar (broker 5) only reports");
    }

    @Test
    void whenTheLowestBrokerIsGoneTheNextLowestTakesOver() {
        assertThat(RepairElection.of(List.of(7, 5), OptionalInt.of(5)).thisNodeRepairs()).isTrue();
    }

    @Test
    void aSidecarWithoutNodeIdNeverRepairs() {
        RepairElection e = RepairElection.of(List.of(0, 1), OptionalInt.empty());

        assertThat(e.thisNodeRepairs()).isFalse();
        assertThat(e.explain()).startsWith("this sidecar's node.id is unknown, so it never repairs");
    }

    @Test
    void aSidecarWhoseBrokerIsNotLiveDoesNotRepair() {
        assertThat(RepairElection.of(List.of(1, 2), OptionalInt.of(0)).thisNodeRepairs()).isFalse();
        assertThat(RepairElection.of(List.of(), OptionalInt.of(0)).thisNodeRepairs()).isFalse();
    }
}
