package io.archiveguardian.guardian.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void plainNumbersAreBytesAndSuffixesArePowersOf1024() {
        assertThat(Sizes.parse("1500")).isEqualTo(1500);
        assertThat(Sizes.parse("4k")).isEqualTo(4096);
        assertThat(Sizes.parse("3M")).isEqualTo(3L << 20);
        assertThat(Sizes.parse("20G")).isEqualTo(20L << 30);
        assertThat(Sizes.parse("2TiB")).isEqualTo(2L << 40);
        assertThat(Sizes.parse("5GB")).isEqualTo(5L << 30);
    }

    @Test
    void anythingElseIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> Sizes.parse("20X")).hasMessageStartingWith("'20X' is not a size");
        assertThatThrownBy(() -> Sizes.parse("-1G")).hasMessageStartingWith("'-1G' is not a size");
        assertThat(Sizes.parse("1.5G")).isEqualTo(3L << 29);
        assertThatThrownBy(() -> Sizes.parse("99999999999T")).hasMessageStartingWith("'99999999999T' is too large a size");
    }

    @Test
    void sizesAreFormattedWithOneDecimalUnlessItIsZero() {
        assertThat(Sizes.human(999)).isEqualTo("999 B");
        assertThat(Sizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.human(20L << 30)).isEqualTo("20 GiB");
    }
}
