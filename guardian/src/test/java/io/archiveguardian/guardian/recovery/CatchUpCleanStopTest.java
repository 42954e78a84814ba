package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ladder during a restart's catch-up (issue "Stop the loop where it starts", item 7): broker 1
 * of three misses more than its disk can hold, is started without prestart, and fetches what it
 * missed (throttled to a rate a 2-core machine can follow). The sidecar stops it cleanly before the
 * catch-up fills the disk: no halt, the marker written, and once room is made the next start needs
 * no log recovery and loses no acknowledged record.
 */
@Tag("broker")
class CatchUpCleanStopTest {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aCatchUpThatWouldFillTheDiskEndsInACleanStopNotAHalt() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        Path filler = disk.root().resolve("other-data");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).logDir(1, logDir)
                .property("log.segment.bytes", Long.toString(16 * MIB)).build().start()) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2",
                        "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
            }
            ArchiveWorkload workload = new ArchiveWorkload(TOPIC);
            workload.produce(cluster.bootstrapServers(), 20 * MIB, 16 * 1024);
            cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(120));
            fillUntilFree(filler, 60 * MIB);
            ChildBroker broker1 = cluster.broker(1);
            try (SidecarServer sidecar = sidecar(cluster)) {
                await("the sidecar sees the broker running").atMost(Duration.ofSeconds(30)).until(() ->
                        sidecar.sidecar().status().map(s -> s.observation().brokerState().name()).orElse("").equals("RUNNING"));
                broker1.kill();
                workload.produce(cluster.liveBootstrapServers(), 120 * MIB, 16 * 1024);
                throttleCatchUp(cluster, 4 * MIB);
                await("the sidecar has the cluster's catch-up for the next start").atMost(Duration.ofSeconds(60)).until(() -> {
                    GuardReport r = sidecar.sidecar().status().orElseThrow().recovery();
                    return r != null && r.filesystems().get(0).need().catchUpBytes() > 100 * MIB
                            && !r.filesystems().get(0).need().estimated();
                });

                broker1.start(); // as a service manager without prestart would: the catch-up does not fit
                int exit = broker1.awaitExit(Duration.ofSeconds(180));
                long left = disk.filesystem().dfAvailableBytes();
                System.out.printf("catch-up restart: exit %d, df avail %d KiB when it ended%n", exit, left / 1024);
                assertThat(exit).as(broker1.tail(40)).isEqualTo(143);
                String thisStart = broker1.log().substring(broker1.log().lastIndexOf("=== start 2 ==="));
                assertThat(thisStart).doesNotContain("have failed");
                assertThat(logDir.resolve(".kafka_cleanshutdown")).exists();
                assertThat(left).isPositive();
                await("the stop is audited").atMost(Duration.ofSeconds(30)).until(() ->
                        Files.exists(tmp.resolve("state").resolve("stops.jsonl")));
                JsonNode stop = Json.MAPPER.readTree(Files.readAllLines(tmp.resolve("state").resolve("stops.jsonl")).get(0));
                assertThat(stop.path("outcome").asText()).isEqualTo("clean");
            }

            // Room is made; the next start is clean: no log recovery, every acknowledged record there.
            Files.delete(filler);
            unthrottle(cluster);
            broker1.start().awaitStarted(Duration.ofSeconds(180));
            assertThat(broker1.log().substring(broker1.log().lastIndexOf("=== start 3 ===")))
                    .doesNotContain("since no clean shutdown file was found");
            try (Admin admin = cluster.admin()) {
                await("broker 1 rejoins the ISR of every partition").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            Map<String, TopicDescription> d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS);
                            return d.get(TOPIC).partitions().stream().allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 1));
                        });
            }
            assertThat(workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(120))).isEmpty();
        }
    }

    /** Kafka throttles only replicas out of the ISR: broker 1's catch-up, not the live brokers' replication. */
    private static void throttleCatchUp(ChildBrokerCluster cluster, long bytesPerSecond) throws Exception {
        alter(cluster, AlterConfigOp.OpType.SET, Long.toString(bytesPerSecond));
    }

    private static void unthrottle(ChildBrokerCluster cluster) throws Exception {
        alter(cluster, AlterConfigOp.OpType.DELETE, "");
    }

    private static void alter(ChildBrokerCluster cluster, AlterConfigOp.OpType op, String rate) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        changes.put(new ConfigResource(ConfigResource.Type.BROKER, ""), List.of(
                new AlterConfigOp(new ConfigEntry("follower.replication.throttled.rate", rate), op)));
        changes.put(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), List.of(
                new AlterConfigOp(new ConfigEntry("follower.replication.throttled.replicas", "*"), op)));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.liveBootstrapServers()))) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void fillUntilFree(Path file, long free) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            new java.util.Random(1).nextBytes(block);
            long toWrite = (disk.filesystem().dfAvailableBytes() - free) / MIB;
            for (long i = 0; i < toWrite; i++) {
                f.write(block);
            }
            f.getFD().sync();
        }
    }

    /** Pressure by ratio only and no ballast: this scenario is about the catch-up and the stop. */
    private SidecarServer sidecar(ChildBrokerCluster cluster) {
        Map<String, String> config = new HashMap<>();
        config.put("reserve.auto.arm", "false");
        config.put("recovery.margin.min.bytes", Long.toString(4 * MIB));
        for (String level : new String[] {"warn", "high", "critical"}) {
            config.put("pressure." + level + ".floor.bytes", "0");
            config.put("pressure." + level + ".headroom.bytes", "0");
        }
        return TestSidecars.start(cluster, tmp.resolve("state"), config);
    }
}
