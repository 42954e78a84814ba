package io.archiveguardian.guardian.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DropByteSizeTest {

    @Test
    void plainNumbersAreBytesAndSuffixesArePowersOf1024() {
        assertThat(ByteSize.parse("1500")).isEqualTo(1500);
        assertThat(ByteSize.parse("4k")).isEqualTo(4096);
        assertThat(ByteSize.parse("3M")).isEqualTo(3L << 20);
        assertThat(ByteSize.parse("20G")).isEqualTo(20L << 30);
        assertThat(ByteSize.parse("2TiB")).isEqualTo(2L << 40);
        assertThat(ByteSize.parse("5GB")).isEqualTo(5L << 30);
    }

    @Test
    void anythingElseIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> ByteSize.parse("20X")).hasMessageStartingWith("'20X' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("-1G")).hasMessageStartingWith("'-1G' is not a size");
        assertThat(ByteSize.parse("1.5G")).isEqualTo(3L << 29);
        assertThatThrownBy(() -> ByteSize.parse("99999999999T")).hasMessageStartingWith("'99999999999T' is too large a size");
    }

    @Test
    void sizesAreFormattedWithOneDecimalUnlessItIsZero() {
        assertThat(ByteSize.format(999)).isEqualTo("999 B");
        assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.format(20L << 30)).isEqualTo("20 GiB");
    }
}
