package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's first step, on a real broker and a real small ext4 filled by a producer at a steady
 * rate (issue "Stop the loop where it starts"): without the stop Kafka halts on the full disk and
 * leaves no clean-shutdown marker; with the guardian on default keys the broker is stopped cleanly
 * before the disk fills, its next start recovers nothing, and no acknowledged record is lost.
 */
@Tag("broker")
class CleanStopBeforeFullDiskTest {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";
    static final String NO_CLEAN_SHUTDOWN = "since no clean shutdown file was found";

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(160 * MIB);

    @TempDir
    Path tmp;

    @Test
    void withoutTheStopKafkaHaltsOnTheFullDiskAndLeavesNoCleanShutdownMarker() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = cluster(logDir)) {
            ArchiveWorkload workload = setUp(cluster);
            ChildBroker broker = cluster.broker(1);
            try (SidecarServer sidecar = sidecar(cluster, Map.of(GuardianConfig.STOP_ENABLED, "false"))) {
                // A send that fails (a slow broker on a busy machine) ends one producer; the next goes on
                // until the broker is gone.
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (broker.isAlive() && System.nanoTime() < deadline) {
                    workload.produceAtRate(cluster.bootstrapServers(), 8 * MIB, 16 * 1024, Duration.ofMinutes(1),
                            () -> !broker.isAlive());
                }
                int exit = broker.awaitExit(Duration.ofSeconds(60));
                System.out.printf("stop.enabled=false: broker exit %d, df avail %d KiB%n", exit,
                        disk.filesystem().dfAvailableBytes() / 1024);
                assertThat(exit).isEqualTo(1);
                assertThat(broker.log()).contains("have failed");
                assertThat(logDir.resolve(".kafka_cleanshutdown")).doesNotExist();
                assertThat(sidecar.sidecar().metrics().scrape())
                        .contains("guardian_broker_stops_total{outcome=\"clean\",reason=\"time-to-full\"} 0.0");
            }
        }
    }

    @Test
    void onDefaultKeysTheBrokerIsStoppedCleanlyBeforeTheDiskFillsAndComesBackWithoutRecovery() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = cluster(logDir)) {
            ArchiveWorkload workload = setUp(cluster);
            ChildBroker broker = cluster.broker(1);
            try (SidecarServer sidecar = sidecar(cluster, Map.of())) {
                await("the sidecar sees the broker running").atMost(Duration.ofSeconds(30)).until(() ->
                        sidecar.sidecar().status().map(s -> s.observation().brokerState().name()).orElse("").equals("RUNNING"));
                Optional<Exception> failure = workload.produceAtRate(cluster.bootstrapServers(), 4 * MIB, 16 * 1024,
                        Duration.ofMinutes(3), () -> !broker.isAlive());
                int exit = broker.awaitExit(Duration.ofSeconds(60));
                long left = disk.filesystem().dfAvailableBytes();
                System.out.printf("default keys: broker exit %d, df avail %d KiB when it ended, %d records acknowledged, "
                        + "producer: %s%n", exit, left / 1024, workload.acknowledgedCount(), failure.map(Exception::toString).orElse("-"));
                assertThat(exit).as(broker.tail(40)).isEqualTo(143); // SIGTERM: the JVM's clean exit
                assertThat(broker.log()).doesNotContain("have failed");
                assertThat(logDir.resolve(".kafka_cleanshutdown")).exists();
                assertThat(left).isPositive();

                await("the stop is recorded").atMost(Duration.ofSeconds(30)).until(() ->
                        sidecar.sidecar().metrics().scrape().contains(
                                "guardian_broker_stops_total{outcome=\"clean\",reason=\"time-to-full\"} 1.0"));
                List<String> audit = Files.readAllLines(tmp.resolve("state").resolve("stops.jsonl"));
                assertThat(audit).hasSize(1);
                JsonNode stop = Json.MAPPER.readTree(audit.get(0));
                assertThat(stop.path("outcome").asText()).isEqualTo("clean");
                assertThat(stop.path("method").asText()).isEqualTo("SIGTERM to pid " + broker.pid());
                await("status and events say so").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode status = Json.MAPPER.readTree(Json.write(sidecar.sidecar().status().orElseThrow()));
                    assertThat(status.at("/stop/last_stop/outcome").asText()).isEqualTo("clean");
                    assertThat(status.at("/observation/broker_state").asText()).isEqualTo("STOPPED_CLEAN");
                    assertThat(sidecar.sidecar().events().recent()).anySatisfy(e -> {
                        assertThat(e.subject()).isEqualTo("broker-stop");
                        assertThat(e.state()).isEqualTo("STOPPED_CLEAN");
                    });
                });
            }

            // Room is made (the volume grows, as an operator would), and the broker starts with no log recovery.
            disk.filesystem().grow(320 * MIB);
            broker.start().awaitStarted(Duration.ofSeconds(120));
            String thisStart = broker.log().substring(broker.log().lastIndexOf("=== start 2 ==="));
            assertThat(thisStart).doesNotContain(NO_CLEAN_SHUTDOWN);
            assertThat(workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(90))).isEmpty();
        }
    }

    private ChildBrokerCluster cluster(Path logDir) {
        return ChildBrokerCluster.builder(1)
                .logDir(1, logDir)
                .property("log.segment.bytes", Long.toString(8 * MIB))
                .property("offsets.topic.replication.factor", "1")
                .build().start();
    }

    private ArchiveWorkload setUp(ChildBrokerCluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of(
                    "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        }
        return new ArchiveWorkload(TOPIC);
    }

    /** The sidecar on default keys but the cadence, and no ballast or cluster view. */
    private SidecarServer sidecar(ChildBrokerCluster cluster, Map<String, String> extra) {
        return TestSidecars.start(cluster, tmp.resolve("state"), extra);
    }
}
