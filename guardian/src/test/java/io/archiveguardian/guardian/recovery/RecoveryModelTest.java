package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.recovery.PartitionLog.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryModelTest {

    static final long MIB = 1024 * 1024;
    static final RecoveryParameters SPARSE = RecoveryParameters.kafkaDefaults(0.10, 0);
    static final RecoveryParameters NOT_SPARSE = new RecoveryParameters(false, 10 * MIB, 4096, 1024 * MIB, 2, 4096, 0.10, 0);

    static PartitionLog threeSegments(long recoveryPoint) {
        return new PartitionLog("archive-0", List.of(new Segment(0, 100 * MIB), new Segment(1000, 100 * MIB),
                new Segment(2000, 40 * MIB)), recoveryPoint);
    }

    @Test
    void theSegmentHoldingTheRecoveryPointAndAllLaterOnesAreUnflushed() {
        assertThat(threeSegments(1500).unflushed()).extracting(Segment::baseOffset).containsExactly(1000L, 2000L);
        assertThat(threeSegments(2000).unflushed()).extracting(Segment::baseOffset).containsExactly(2000L);
        assertThat(threeSegments(-1).unflushed()).as("no checkpoint entry: from offset 0").hasSize(3);
    }

    @Test
    void aCleanStopWithNothingToFetchNeedsOnlyCheckpointsAndTheMarginFloor() {
        RecoveryNeed need = RecoveryModel.need("/data", false, List.of(threeSegments(2000)), CatchUp.none("cluster says none"),
                RecoveryParameters.kafkaDefaults(0.10, 64 * MIB));
        assertThat(need.localRecoveryBytes()).isZero();
        assertThat(need.catchUpBytes()).isZero();
        assertThat(need.startupBytes()).isEqualTo(8 * 4096);
        assertThat(need.marginBytes()).isEqualTo(64 * MIB);
        assertThat(need.totalBytes()).isEqualTo(8 * 4096 + 64 * MIB);
    }

    @Test
    void onASparseFilesystemRecoveryCostsTheIndexEntriesAndOneSnapshotPerSegment() {
        RecoveryNeed need = RecoveryModel.need("/data", true, List.of(threeSegments(1500)), CatchUp.none("-"), SPARSE);
        long unflushed = 140 * MIB;
        long entries = unflushed / 4096 * 20; // 700 KiB exactly
        assertThat(need.localRecoveryBytes()).isEqualTo(entries + 2 * 2 * 4096 + 2 * 4096);
        assertThat(need.explanation().get(0)).startsWith("local recovery: 2 unflushed segments (140.0 MiB of log) in 1 partitions");
    }

    @Test
    void withoutSparseFilesEachRecoveryThreadHoldsTwoFullIndexes() {
        RecoveryNeed need = RecoveryModel.need("/data", true, List.of(threeSegments(0)), CatchUp.none("-"), NOT_SPARSE);
        assertThat(need.localRecoveryBytes()).isEqualTo(2 * 2 * 10 * MIB + 3 * 4096);
    }

    @Test
    void aCleanStartWithoutSparseFilesReallocatesEveryActiveIndex() {
        RecoveryNeed need = RecoveryModel.need("/data", false, List.of(threeSegments(0), threeSegments(0)), CatchUp.none("-"), NOT_SPARSE);
        assertThat(need.startupBytes()).isEqualTo(2 * 2 * 10 * MIB + 8 * 4096);
    }

    @Test
    void catchUpCountsTheLogItsIndexEntriesAndTheSegmentsItRolls() {
        CatchUp catchUp = new CatchUp(3000 * MIB, CatchUp.Source.ADMIN, "leaders are ahead");
        RecoveryNeed need = RecoveryModel.need("/data", false, List.of(), catchUp, SPARSE);
        long entries = ((3000 * MIB / 4096 * 20) + 4095) / 4096 * 4096;
        assertThat(need.catchUpBytes()).isEqualTo(3000 * MIB + entries + 3 * 3 * 4096);
        assertThat(need.estimated()).isFalse();
        assertThat(need.marginBytes()).isEqualTo((long) Math.ceil((need.catchUpBytes() + need.startupBytes()) * 0.10));
    }

    @Test
    void anEstimatedCatchUpIsMarkedAsAnEstimate() {
        RecoveryNeed need = RecoveryModel.need("/data", true, List.of(), new CatchUp(MIB, CatchUp.Source.ESTIMATE, "rate x downtime"), SPARSE);
        assertThat(need.estimated()).isTrue();
        assertThat(need.explanation()).anySatisfy(line -> assertThat(line).startsWith("catch-up (estimate)"));
    }
}
