package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failure the guardian exists for, reproduced with real brokers on a real small disk. */
@Tag("broker")
class UncleanExitLoopTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    @Test
    void withoutTheGuardianABrokerThatMissedWritesHaltsOnEveryRestart() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3)
                .logDir(1, logDir)
                .property("log.segment.bytes", Long.toString(16 * MIB))
                .build().start()) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 3, (short) 3).configs(Map.of(
                        "min.insync.replicas", "2", "retention.ms", "-1", "retention.bytes", "-1"))))
                        .all().get(60, TimeUnit.SECONDS);
            }
            ArchiveWorkload workload = new ArchiveWorkload("archive");
            workload.produce(cluster.bootstrapServers(), 40 * MIB, 16 * 1024);
            // The rest of the disk: years of archive that are not part of this test.
            try (RandomAccessFile filler = new RandomAccessFile(disk.root().resolve("other-data").toFile(), "rw")) {
                long free = disk.filesystem().dfAvailableBytes();
                byte[] block = new byte[(int) MIB];
                new java.util.Random(1).nextBytes(block);
                for (long i = 0; i < (free - 40 * MIB) / MIB; i++) {
                    filler.write(block);
                }
                filler.getFD().sync();
            }
            System.out.printf("before kill: df avail %d MiB%n", disk.filesystem().dfAvailableBytes() / MIB);

            ChildBroker broker1 = cluster.broker(1);
            broker1.kill();
            workload.produce(cluster.liveBootstrapServers(), 80 * MIB, 16 * 1024);

            for (int attempt = 1; attempt <= 2; attempt++) {
                broker1.start();
                int exit = broker1.awaitExit(Duration.ofSeconds(180));
                System.out.printf("restart %d: exit %d, df avail %d MiB%n", attempt, exit, disk.filesystem().dfAvailableBytes() / MIB);
                assertThat(exit).isEqualTo(1);
                assertThat(broker1.log()).contains("have failed");
            }
        }
    }
}
