package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryModelTest {

    static final long MIB = 1024 * 1024;
    static final RecoveryParameters SPARSE = RecoveryParameters.kafkaDefaults(0.10, 0);
    static final RecoveryParameters NOT_SPARSE = new RecoveryParameters(false, 10 * MIB, 4096, 1024 * MIB, 2, 4096, 0.10, 0);
    /** One partition; two segments (140 MiB) from its recovery point on. */
    static final LocalLogs ONE_PARTITION = new LocalLogs(1, 140 * MIB, 2);

    @Test
    void aCleanStopWithNothingToFetchNeedsOnlyCheckpointsAndTheMarginFloor() {
        RecoveryNeed need = RecoveryModel.need("/data", false, ONE_PARTITION, CatchUp.none("cluster says none"),
                RecoveryParameters.kafkaDefaults(0.10, 64 * MIB));
        assertThat(need.localRecoveryBytes()).isZero();
        assertThat(need.catchUpBytes()).isZero();
        assertThat(need.startupBytes()).isEqualTo(8 * 4096);
        assertThat(need.marginBytes()).isEqualTo(64 * MIB);
        assertThat(need.totalBytes()).isEqualTo(8 * 4096 + 64 * MIB);
    }

    @Test
    void onASparseFilesystemRecoveryCostsTheIndexEntriesAndOneSnapshotPerSegment() {
        RecoveryNeed need = RecoveryModel.need("/data", true, ONE_PARTITION, CatchUp.none("-"), SPARSE);
        long entries = 140 * MIB / 4096 * 20; // 700 KiB exactly
        assertThat(need.localRecoveryBytes()).isEqualTo(entries + 2 * 2 * 4096 + 2 * 4096);
        assertThat(need.explanation().get(0)).startsWith("local recovery: 2 unflushed segments (140 MiB of log) in 1 partitions");
    }

    @Test
    void withoutSparseFilesEachRecoveryThreadHoldsTwoFullIndexes() {
        RecoveryNeed need = RecoveryModel.need("/data", true, new LocalLogs(1, 240 * MIB, 3), CatchUp.none("-"), NOT_SPARSE);
        assertThat(need.localRecoveryBytes()).isEqualTo(2 * 2 * 10 * MIB + 3 * 4096);
    }

    @Test
    void aCleanStartWithoutSparseFilesReallocatesEveryActiveIndex() {
        RecoveryNeed need = RecoveryModel.need("/data", false, new LocalLogs(2, 0, 0), CatchUp.none("-"), NOT_SPARSE);
        assertThat(need.startupBytes()).isEqualTo(2 * 2 * 10 * MIB + 8 * 4096);
    }

    @Test
    void catchUpCountsTheLogItsIndexEntriesAndTheSegmentsItRolls() {
        CatchUp catchUp = new CatchUp(3000 * MIB, CatchUp.Source.ADMIN, "leaders are ahead");
        RecoveryNeed need = RecoveryModel.need("/data", false, LocalLogs.NONE, catchUp, SPARSE);
        long entries = ((3000 * MIB / 4096 * 20) + 4095) / 4096 * 4096;
        assertThat(need.catchUpBytes()).isEqualTo(3000 * MIB + entries + 3 * 3 * 4096);
        assertThat(need.estimated()).isFalse();
        assertThat(need.marginBytes()).isEqualTo((long) Math.ceil((need.catchUpBytes() + need.startupBytes()) * 0.10));
    }

    @Test
    void anEstimatedCatchUpIsMarkedAsAnEstimate() {
        RecoveryNeed need = RecoveryModel.need("/data", true, LocalLogs.NONE, new CatchUp(MIB, CatchUp.Source.ESTIMATE, "rate x downtime"), SPARSE);
        assertThat(need.estimated()).isTrue();
        assertThat(need.explanation()).anySatisfy(line -> assertThat(line).startsWith("catch-up (estimate)"));
    }

    @Test
    void theMarginFloorIsTheSmallerOfTheKeyAndTwoPercentOfTheFilesystem() {
        RecoveryParameters configured = RecoveryParameters.kafkaDefaults(0.10, 256 * MIB);
        // a 200 MB disk: 4 MB floor, not 256 MiB (which alone exceeded the disk)
        RecoveryParameters small = configured.withFilesystemBytes(200_000_000L);
        assertThat(small.marginMinBytes()).isEqualTo(4_000_000L);
        RecoveryNeed need = RecoveryModel.need("/data", false, ONE_PARTITION, CatchUp.none("-"), small);
        assertThat(need.totalBytes()).isLessThan(200_000_000L / 10);
        // from 12.5 GiB up the configured floor holds
        assertThat(configured.withFilesystemBytes(100L * 1024 * MIB).marginMinBytes()).isEqualTo(256 * MIB);
        assertThat(configured.withFilesystemBytes(0).marginMinBytes()).isEqualTo(256 * MIB);
    }

    @Test
    void aMarginFloorTheOperatorSetIsUsedAsGivenWhileTheDefaultOneScalesWithTheDisk(@TempDir Path logDir) {
        FilesystemUsage disk200mb = new FilesystemUsage("/data", "/dev/x", "ext4", 200_000_000L, 150_000_000L,
                140_000_000L, 0, 0);
        GuardianSettings byDefault = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString())));
        GuardianSettings setByOperator = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "recovery.margin.min.bytes", Long.toString(256 * MIB))));
        assertThat(RecoveryParameters.of(byDefault, disk200mb).marginMinBytes()).isEqualTo(4_000_000L);
        assertThat(RecoveryParameters.of(setByOperator, disk200mb).marginMinBytes()).isEqualTo(256 * MIB);
    }
}
