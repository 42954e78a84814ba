package io.archiveguardian.guardian.drop;

import static io.archiveguardian.guardian.drop.ClusterFixture.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Drop planning prefers reassignment targets whose log dirs are not cordoned (KIP-1066). */
class DropTargetCordonTest {

    private static ClusterSnapshot cordon(ClusterSnapshot s, int broker) {
        List<LogDirState> dirs = s.logDirs().stream().filter(d -> d.broker() == broker).map(d -> d.withCordoned(true)).toList();
        return s.withLogDirsOf(broker, dirs);
    }

    private static ClusterFixture fixture() {
        return ClusterFixture.brokers(1, 2, 3, 4, 5).usable(4, 300 * GIB).usable(5, 500 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 10 * GIB);
    }

    @Test
    void aTargetWhoseLogDirIsNotCordonedIsPreferredOverOneWithMoreRoom() {
        ClusterSnapshot snapshot = cordon(fixture().snapshot(), 5);

        PlannedDrop d = DropPlanner.plan(snapshot, DropRequest.of(1, ClusterFixture.dir(1), 10 * GIB)).plan().drops().get(0);

        assertThat(d.target()).isEqualTo(OptionalInt.of(4));
    }

    @Test
    void withEveryCandidateCordonedTheOneWithTheMostRoomIsStillChosen() {
        ClusterSnapshot snapshot = cordon(cordon(fixture().snapshot(), 5), 4);

        PlannedDrop d = DropPlanner.plan(snapshot, DropRequest.of(1, ClusterFixture.dir(1), 10 * GIB)).plan().drops().get(0);

        assertThat(d.target()).isEqualTo(OptionalInt.of(5));
    }
}
