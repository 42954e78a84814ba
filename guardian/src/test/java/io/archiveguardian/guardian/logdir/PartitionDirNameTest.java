package io.archiveguardian.guardian.logdir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionDirNameTest {

    @Test
    void thePartitionNumberIsTheDigitsAfterTheLastDashSoTopicsMayContainDashesAndDots() {
        assertThat(PartitionDirName.parse("my.archive-topic-12"))
                .isEqualTo(new PartitionDirName("my.archive-topic-12", PartitionKind.PARTITION, "my.archive-topic", 12));
    }

    @Test
    void specialDirectoriesKeepTheirTopicAndPartition() {
        assertThat(PartitionDirName.parse("a-b.c-3.9aQ-_zzzzzzzzzzzzzzzzzz-delete"))
                .isEqualTo(new PartitionDirName("a-b.c-3.9aQ-_zzzzzzzzzzzzzzzzzz-delete", PartitionKind.DELETE, "a-b.c", 3));
        assertThat(PartitionDirName.parse("t-0.AAAAAAAAAAAAAAAAAAAAAA-future").kind()).isEqualTo(PartitionKind.FUTURE);
        assertThat(PartitionDirName.parse("t-0.AAAAAAAAAAAAAAAAAAAAAA-stray").kind()).isEqualTo(PartitionKind.STRAY);
    }

    @Test
    void theMetadataLogIsRecognised() {
        assertThat(PartitionDirName.parse("__cluster_metadata-0").kind()).isEqualTo(PartitionKind.METADATA);
    }

    @Test
    void namesWithoutAPartitionNumberOrHiddenNamesAreUnrecognized() {
        assertThat(PartitionDirName.parse("lost+found").kind()).isEqualTo(PartitionKind.UNRECOGNIZED);
        assertThat(PartitionDirName.parse("topic-").kind()).isEqualTo(PartitionKind.UNRECOGNIZED);
        assertThat(PartitionDirName.parse(".guardian-1").kind()).isEqualTo(PartitionKind.UNRECOGNIZED);
        assertThat(PartitionDirName.parse("t-0.uuid-deleted").kind()).isEqualTo(PartitionKind.UNRECOGNIZED);
    }
}
