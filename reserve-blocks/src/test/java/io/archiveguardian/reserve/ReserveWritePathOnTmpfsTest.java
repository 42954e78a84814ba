package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write path (forced; tmpfs supports fallocate too) and the fallocate path on tmpfs. */
class ReserveWritePathOnTmpfsTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(64 * MIB);

    private Path logDir;

    @BeforeEach
    void createLogDir() throws Exception {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
    }

    private Reserve reserve(ReserveOptions options) {
        return Reserve.at(ReservePlacement.resolve(logDir, List.of(logDir)), options);
    }

    @Test
    void theWritePathHoldsRealBlocksOfIncompressibleData() throws Exception {
        Reserve reserve = reserve(ReserveOptions.defaults("test").withAllocationMode(AllocationMode.WRITE));
        long before = Disk.dfAvailable(disk.root());

        reserve.arm(TierPlan.split(16 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        Path tier = reserve.location().tierFile(2);
        assertThat(Disk.duBytes(tier)).isGreaterThanOrEqualTo(8 * MIB);
        assertThat(before - Disk.dfAvailable(disk.root())).isGreaterThanOrEqualTo(16 * MIB);
        assertThat(reserve.status().tiers()).extracting(Tier::method).containsOnly(AllocationMethod.WRITE);
        assertThat(reserve.status().verified()).isTrue();
        byte[] middle = new byte[(int) MIB];
        try (RandomAccessFile file = new RandomAccessFile(tier.toFile(), "r")) {
            file.seek(3 * MIB);
            file.readFully(middle);
        }
        assertThat(compressedSize(middle)).isGreaterThan((long) (0.99 * middle.length));
    }

    @Test
    void theFallocatePathIsUsedOnTmpfsWhenNotForced() {
        Reserve reserve = reserve(ReserveOptions.defaults("test"));
        long before = Disk.dfAvailable(disk.root());

        reserve.arm(TierPlan.split(16 * MIB, 1), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(reserve.status().tiers().get(0).method()).isEqualTo(AllocationMethod.FALLOCATE);
        assertThat(before - Disk.dfAvailable(disk.root())).isGreaterThanOrEqualTo(16 * MIB);
    }

    @Test
    void theWritePathKeepsToItsRateLimit() {
        Reserve reserve = reserve(ReserveOptions.defaults("test").withAllocationMode(AllocationMode.WRITE)
                .withWriteRate(8 * MIB));
        long start = System.nanoTime();

        reserve.arm(TierPlan.split(8 * MIB, 1), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isGreaterThan(0.9);
    }

    @Test
    void runningOutOfSpaceMidWriteRemovesThePartialTier() {
        Reserve reserve = reserve(ReserveOptions.defaults("test").withAllocationMode(AllocationMode.WRITE));
        long before = Disk.dfAvailable(disk.root());

        ArmResult result = reserve.arm(TierPlan.split(72 * MIB, 3), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(result.armedTiers()).containsExactly(1, 2);
        assertThat(result.incomplete()).hasValueSatisfying(m -> assertThat(m)
                .matches("out of space while arming tier 3: the filesystem refused after [\\d.]+ MiB of 24 MiB; "
                        + "the partial tier was removed and the reserve holds 48 MiB \\([\\d.]+ MiB free now\\)"));
        assertThat(Files.exists(reserve.location().partialFile(3))).isFalse();
        assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before - 48.0 * MIB, within(0.1 * MIB));
    }

    @Test
    void releaseFreesWhatDfReportsOnTmpfs() {
        Reserve reserve = reserve(ReserveOptions.defaults("test"));
        long before = Disk.dfAvailable(disk.root());
        reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        reserve.release(ReleaseRequest.tiers(1), Trigger.MANUAL, "test");

        assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before - 16.0 * MIB, within(0.1 * MIB));
    }

    private static long compressedSize(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length * 2];
        long total = 0;
        while (!deflater.finished()) {
            total += deflater.deflate(out);
        }
        return total;
    }
}
