package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.testsupport.InProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("broker")
class CatchUpProbeTest {

    static final long MIB = 1024 * 1024;

    @Test
    void aStoppedFollowerMustFetchWhatWasWrittenWhileItWasDown() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3); Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 2, (short) 3))).all().get(30, TimeUnit.SECONDS);
            ArchiveWorkload workload = new ArchiveWorkload("archive");
            workload.produce(cluster.bootstrapServers(), 4 * MIB, 8192);

            cluster.stopBroker(2);
            workload.produce(cluster.bootstrapServers(), 10 * MIB, 8192);

            CatchUp stopped = CatchUpProbe.fromCluster(admin, 2, localLogBytes(cluster.logDirs(2)), Duration.ofSeconds(10))
                    .of(tp -> true);
            // 10 MiB of values plus record-batch framing; nothing else was written.
            assertThat(stopped.bytes()).isBetween(10 * MIB, 10 * MIB + MIB / 2);
            assertThat(stopped.source()).isEqualTo(CatchUp.Source.ADMIN);
            assertThat(stopped.detail()).startsWith("2 of ");

            cluster.startBroker(2);
            await("broker 2 caught up").atMost(Duration.ofSeconds(60)).until(() ->
                    CatchUpProbe.fromCluster(admin, 2, localLogBytes(cluster.logDirs(2)), Duration.ofSeconds(10)).totalBytes() == 0);
        }
    }

    @Test
    void aPartitionWithNoLocalDirectoryCountsInFull() {
        TopicPartition tp = new TopicPartition("archive", 0);
        CatchUp catchUp = CatchUpProbe.catchUp(Map.of(tp, 1), Map.of(), Map.of(), 1).of(p -> true);
        assertThat(catchUp.bytes()).isZero();
        assertThat(catchUp.detail()).contains("1 have no local directory").contains("1 partitions of this broker have no leader now");
    }

    /** .log bytes per partition directory, as a scan of the log dir sees them. */
    static Map<TopicPartition, Long> localLogBytes(List<Path> logDirs) throws IOException {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (Path dir : logDirs) {
            try (Stream<Path> partitions = Files.list(dir)) {
                for (Path p : partitions.filter(Files::isDirectory).toList()) {
                    String name = p.getFileName().toString();
                    int dash = name.lastIndexOf('-');
                    if (dash <= 0 || !name.substring(dash + 1).chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long bytes;
                    try (Stream<Path> files = Files.list(p)) {
                        bytes = files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
                    }
                    sizes.put(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))), bytes);
                }
            }
        }
        return sizes;
    }
}
