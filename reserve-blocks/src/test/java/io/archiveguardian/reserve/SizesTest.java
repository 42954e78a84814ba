package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void sizesParseAsBinaryUnitsOrPercentOfTheFilesystem() {
        assertThat(ReserveSize.parse("20G").resolve(0)).isEqualTo(20L << 30);
        assertThat(ReserveSize.parse("512MiB").resolve(0)).isEqualTo(512 * MIB);
        assertThat(ReserveSize.parse("1073741824").resolve(0)).isEqualTo(1L << 30);
        assertThat(ReserveSize.parse("1.5g").resolve(0)).isEqualTo(3L << 29);
        assertThat(ReserveSize.parse("5%").resolve(1000 * MIB)).isEqualTo(50 * MIB);
        assertThat(ReserveSize.parse("0.5%").text()).isEqualTo("0.5%");
    }

    @Test
    void aBadSizeNamesTheAcceptedForms() {
        assertThatThrownBy(() -> ReserveSize.parse("twenty"))
                .hasMessage("'twenty' is not a reserve size. Give " + ByteSizes.ACCEPTED
                        + ", or a percentage of the filesystem (5%, 0.5%).");
        assertThatThrownBy(() -> ReserveSize.parse("99999999999999T")).hasMessageContaining("too large a size");
        assertThatThrownBy(() -> ReserveSize.parse("95%")).hasMessageContaining("at most 90%");
    }

    @Test
    void oneSyntaxForBytesDecimalsAndBinaryUnitsAndOneFormat() {
        assertThat(ByteSizes.parse("20000000000")).isEqualTo(20_000_000_000L);
        assertThat(ByteSizes.parse("20000000000B")).isEqualTo(20_000_000_000L);
        assertThat(ByteSizes.parse("1.5G")).isEqualTo(3L << 29);
        assertThat(ByteSizes.parse("512m")).isEqualTo(512 * MIB);
        assertThat(ByteSizes.parse("20GiB")).isEqualTo(20L << 30);
        assertThat(ByteSizes.parse("1P")).isEqualTo(1L << 50);
        assertThat(ByteSizes.parse(String.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> ByteSizes.parse("9223372036854775808")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ByteSizes.parse("8192P")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ByteSizes.parse("-1G")).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> ByteSizes.parse("5%")).hasMessageContaining("is not a size");
        assertThat(ByteSizes.human(4096)).isEqualTo("4 KiB");
        assertThat(ByteSizes.human(1000)).isEqualTo("1000 B");
        assertThat(ByteSizes.human(512 * MIB)).isEqualTo("512 MiB");
        assertThat(ByteSizes.human(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(ByteSizes.human(-1)).isEqualTo("unknown");
    }

    @Test
    void aPlanSplitsTheTotalIntoBlockAlignedTiersWithAnOptionalSmallFirstTier() {
        assertThat(TierPlan.split(100 * MIB, 3).tierBytes())
                .containsExactly(34_951_168L, 34_951_168L, 34_955_264L)
                .allMatch(b -> b % 4096 == 0);
        assertThat(TierPlan.withFirstTier(100 * MIB, 3, 10 * MIB).tierBytes())
                .containsExactly(10 * MIB, 45 * MIB, 45 * MIB);
        assertThatThrownBy(() -> TierPlan.split(2 * MIB, 4)).hasMessageContaining("each tier must be at least 1 MiB");
    }

    @Test
    void theHighWatermarkPolicyAllowsOnlyWhatStaysBelowIt() {
        ArmPolicy policy = ArmPolicy.maxUsedPercentAfter(90);
        FilesystemSpace space = new FilesystemSpace(1000 * MIB, 200 * MIB, 200 * MIB); // 80% used
        assertThat(policy.check(space, 100 * MIB).allowed()).isTrue();
        assertThat(policy.check(space, 101 * MIB).explanation())
                .isEqualTo("used would be 90.1% after arming 101 MiB (limit 90.0%)");
        assertThat(policy.check(space, 201 * MIB).explanation()).isEqualTo("the tier needs 201 MiB but only 200 MiB are free");
    }

    @Test
    void usedIsDfsUsedAndItsShareDfsUsePercentWhenRootHasReservedBlocks() {
        // As df shows an ext4 of 1000 MiB with 50 MiB reserved for root: Used 750, Avail 200, Use% 79%.
        FilesystemSpace space = new FilesystemSpace(1000 * MIB, 200 * MIB, 250 * MIB);
        assertThat(space.usedBytes()).isEqualTo(750 * MIB);
        assertThat(space.usedPercent()).isCloseTo(100.0 * 750 / 950, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ArmPolicy.maxUsedPercentAfter(90).check(space, 100 * MIB).explanation())
                .isEqualTo("used would be 89.5% after arming 100 MiB (limit 90.0%)");
    }
}
