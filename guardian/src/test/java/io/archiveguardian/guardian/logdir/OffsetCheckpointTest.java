package io.archiveguardian.guardian.logdir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetCheckpointTest {

    @Test
    void parsesVersionCountAndTopicPartitionOffsetLines() {
        OffsetCheckpoint cp = OffsetCheckpoint.parse("0\n3\nmy.topic 0 100\nmy.topic 1 0\n__cluster_metadata 0 42\n");

        assertThat(cp.status()).isEqualTo(OffsetCheckpoint.Status.OK);
        assertThat(cp.offsets()).isEqualTo(Map.of("my.topic-0", 100L, "my.topic-1", 0L, "__cluster_metadata-0", 42L));
        assertThat(cp.offset("my.topic-0")).hasValue(100);
        assertThat(cp.offset("absent-0")).isEmpty();
    }

    @Test
    void anEmptyCheckpointWithZeroEntriesIsValid() {
        assertThat(OffsetCheckpoint.parse("0\n0\n").status()).isEqualTo(OffsetCheckpoint.Status.OK);
    }

    @Test
    void badFilesAreCorruptWithADetailThatSaysWhy() {
        assertThat(OffsetCheckpoint.parse("")).isEqualTo(new OffsetCheckpoint(OffsetCheckpoint.Status.CORRUPT, Map.of(),
                "expected a version line and a count line, found 0 line(s)"));
        assertThat(OffsetCheckpoint.parse("1\n0\n").detail()).isEqualTo("unsupported version '1' (expected 0)");
        assertThat(OffsetCheckpoint.parse("0\nx\n").detail()).isEqualTo("count line 'x' is not a number");
        assertThat(OffsetCheckpoint.parse("0\n2\nt 0 1\n").detail()).isEqualTo("count line says 2 entries, found 1");
        assertThat(OffsetCheckpoint.parse("0\n1\nt 0\n").detail()).isEqualTo("line 3 't 0' is not 'topic partition offset'");
        assertThat(OffsetCheckpoint.parse("0\n1\nt zero 1\n").detail())
                .isEqualTo("line 3 't zero 1' has a non-numeric partition or offset");
        assertThat(OffsetCheckpoint.parse("\0\0\0\0garbage").status()).isEqualTo(OffsetCheckpoint.Status.CORRUPT);
    }
}
