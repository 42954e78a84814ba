package io.archiveguardian.guardian.drop;

import io.archiveguardian.guardian.drop.render.DropJson;
import io.archiveguardian.guardian.drop.render.DropText;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Prestart's plan counts both effects of a drop: what it saves at the next start and, with the
 * local copies deleted, what it frees on disk. The start model here is a simple additive one (each
 * partition saves a fixed catch-up); the real one is the recovery guard's (tested end to end in
 * recovery.TwoCrashStoryTest).
 */
class DropStartPlanTest {

    static final long MIB = 1L << 20;

    /** Each dropped partition saves {@code perPartition} at the start; the start lacks {@code shortfall}. */
    record Additive(long shortfall, long perPartition) implements StartEffects {
        @Override
        public long savedAtStartBytes(Set<TopicPartition> dropped) {
            return dropped.size() * perPartition;
        }

        @Override
        public long shortfallBytes(Set<TopicPartition> dropped, Map<String, Long> freed) {
            return Math.max(0, shortfall - savedAtStartBytes(dropped) - freed.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private static DropCandidates plan(long shortfall, long perPartition) {
        ClusterFixture f = ClusterFixture.brokers(1, 2, 3);
        for (int p = 0; p < 6; p++) {
            f.partition("archive", p, List.of(1, 2, 3), List.of(2, 3), 2, (24 + p) * MIB);
        }
        f.stopped(1);
        return DropPlanner.plan(f.snapshot(), new DropRequest(List.of(new DiskRef(1, ClusterFixture.dir(1))), shortfall,
                java.util.Optional.of(new Additive(shortfall, perPartition))));
    }

    @Test
    void whenSavingAtTheStartTakesMoreMovesThanDeletingThePlanDeletesAndSaysSo() {
        DropCandidates c = plan(11 * MIB, 5 * MIB);

        assertThat(c.plan().sufficient()).isTrue();
        assertThat(c.plan().purge()).isTrue();
        assertThat(c.plan().drops()).hasSize(1);
        assertThat(c.plan().keepOnlyMoves()).isEqualTo(3);
        assertThat(c.plan().savedAtStartBytes()).isEqualTo(5 * MIB);
        assertThat(c.plan().freedOnDiskBytes()).isEqualTo(29 * MIB);
        String text = DropText.plan(c);
        assertThat(text).contains("Saving at the start alone would take 3 moves; deleting the local copies (--purge) takes fewer.")
                .contains("saves 5 MiB at the next start").contains("frees 29 MiB on disk")
                .contains("there is NO UNDO").contains("archive-5 on brokers [2, 3]");
        assertThat(DropText.command(c, "--config /etc/g.properties"))
                .isEqualTo("guardian drop --config /etc/g.properties --logdir " + ClusterFixture.dir(1) + " --partition archive-5 --purge");
    }

    @Test
    void whenSavingAtTheStartCoversItWithAsFewMovesTheLocalCopiesStayAndNothingIsFreedOnDisk() {
        DropCandidates c = plan(4 * MIB, 5 * MIB);

        assertThat(c.plan().sufficient()).isTrue();
        assertThat(c.plan().purge()).isFalse();
        assertThat(c.plan().drops()).hasSize(1);
        assertThat(c.plan().freedOnDiskBytes()).isZero();
        assertThat(DropText.plan(c)).contains("Saving at the start covers it").contains("frees nothing on disk");
        assertThat(DropText.command(c, "")).doesNotContain("--purge");
    }

    @Test
    void whenEvenEverySafeReplicaDeletedDoesNotCoverItThePlanSaysSoAndOffersNoCommand() {
        DropCandidates c = plan(10_000 * MIB, 5 * MIB);

        assertThat(c.plan().sufficient()).isFalse();
        assertThat(c.plan().drops()).hasSize(6);
        assertThat(DropText.plan(c)).contains("The safe replicas do not suffice; nothing was changed");
        assertThat(DropJson.plan(c.plan()).get("sufficient").asBoolean()).isFalse();
    }
}
