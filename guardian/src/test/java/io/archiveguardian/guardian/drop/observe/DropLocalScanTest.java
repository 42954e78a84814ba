package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropLocalScanTest {

    @TempDir
    Path logDir;

    private void file(String relative, int bytes) throws Exception {
        Path p = logDir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[bytes]);
    }

    @Test
    void onlyPartitionDirectoriesCountAndOnlyTheirSegmentBytes() throws Exception {
        file("events-0/00000000000000000000.log", 1000);
        file("events-0/00000000000000000100.log", 500);
        file("events-0/00000000000000000000.index", 4096);
        file("events-0/00000000000000000000.timeindex", 4096);
        file("my-topic-with-dashes-12/00000000000000000000.log", 10);
        file("events-1.0b2c4d6e8f-delete/00000000000000000000.log", 999);
        file("events-2.0b2c4d6e8f-future/00000000000000000000.log", 999);
        file("events-3.0b2c4d6e8f-stray/00000000000000000000.log", 999);
        file("__cluster_metadata-0/00000000000000000000.log", 999);
        file("recovery-point-offset-checkpoint", 20);
        file("meta.properties", 20);

        LogDirState state = LocalLogDirScanner.scan(7, logDir);

        assertThat(state.broker()).isEqualTo(7);
        assertThat(state.path()).isEqualTo(logDir.toString());
        assertThat(state.online()).isTrue();
        assertThat(state.totalBytes()).isPositive();
        assertThat(state.replicas()).extracting(ReplicaOnDisk::partition, ReplicaOnDisk::bytes, ReplicaOnDisk::future).containsExactly(
                org.assertj.core.groups.Tuple.tuple(new TopicPartition("events", 0), 1500L, false),
                org.assertj.core.groups.Tuple.tuple(new TopicPartition("my-topic-with-dashes", 12), 10L, false));
        // what deleting the directory frees: every file in it, not only the segments
        assertThat(state.replicas()).allSatisfy(r -> assertThat(r.diskBytes()).isGreaterThanOrEqualTo(r.bytes()));
    }
}
