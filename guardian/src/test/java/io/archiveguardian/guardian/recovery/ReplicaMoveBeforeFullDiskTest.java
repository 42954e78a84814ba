package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.http.StatusPage;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ladder's JBOD step on a real broker: one log dir on a small ext4 that a producer fills at a
 * steady rate, a sibling log dir of the same broker on a larger ext4. With the sidecar on default
 * keys the replicas leave the small dir for the sibling while the broker runs (alterReplicaLogDirs),
 * Kafka's own {@code LogDirsCommand} shows them there and agrees with the guardian's report, the
 * small dir never fills (it never goes offline), the broker is never stopped, and every acknowledged
 * record reads back. More is produced than the small dir had room for, so without the moves it fills.
 */
@Tag("broker")
class ReplicaMoveBeforeFullDiskTest {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";
    static final int PARTITIONS = 4;
    static final long RATE = 3 * MIB;
    static final int RECORD = 16 * 1024;
    static final Duration PRODUCE_AT_MOST = Duration.ofSeconds(90);

    @RegisterExtension
    final SmallFilesystemExtension small = SmallFilesystemExtension.ext4(160 * MIB);
    @RegisterExtension
    final SmallFilesystemExtension large = SmallFilesystemExtension.ext4(512 * MIB);

    @TempDir
    Path tmp;

    @Test
    void replicasLeaveTheFillingDirForItsSiblingWhileTheBrokerRunsAndNothingIsLost() throws Exception {
        Path bigDir = large.root().resolve("kafka-logs");
        Path smallDir = small.root().resolve("kafka-logs");
        // The large dir first: it holds the metadata log (metadata.log.dir defaults to the first log dir).
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1)
                .logDirs(1, List.of(bigDir, smallDir))
                .property("log.segment.bytes", Long.toString(8 * MIB))
                .property("offsets.topic.replication.factor", "1")
                .build().start();
             Admin admin = cluster.admin()) {
            ChildBroker broker = cluster.broker(1);
            placeArchiveTopicOn(admin, smallDir.toString());
            // Other data on the small filesystem, so that the producer reaches it within seconds.
            fill(small.root().resolve("other-data"), small.filesystem().dfAvailableBytes() - 48 * MIB);
            ArchiveWorkload workload = new ArchiveWorkload(TOPIC);

            try (SidecarServer sidecar = TestSidecars.start(cluster, tmp.resolve("state"), Map.of())) {
                await("the move step has looked at the broker").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        status(sidecar).at("/move/state").asText().equals("idle"));
                long usableBefore = small.filesystem().dfAvailableBytes();
                // Until more is acknowledged than the small dir had room for: without the moves it fills. A send
                // that fails (a slow broker on a busy machine) ends one producer; the next goes on.
                long target = usableBefore + 8 * MIB;
                long deadline = System.nanoTime() + PRODUCE_AT_MOST.toNanos();
                List<String> failures = new ArrayList<>();
                while (workload.acknowledgedCount() * RECORD < target && System.nanoTime() < deadline && broker.isAlive()) {
                    workload.produceAtRate(cluster.bootstrapServers(), RATE, RECORD, PRODUCE_AT_MOST,
                            () -> workload.acknowledgedCount() * RECORD >= target || !broker.isAlive())
                            .ifPresent(e -> failures.add(e.toString()));
                }
                long produced = workload.acknowledgedCount() * RECORD;
                System.out.printf("small dir: %d KiB usable before, %d KiB left after; %d MiB acknowledged; producer "
                        + "failures: %s%n", usableBefore / 1024, small.filesystem().dfAvailableBytes() / 1024, produced / MIB,
                        failures);
                assertThat(produced).as("more than the small dir had room for").isGreaterThan(usableBefore);

                await("the moves in flight end").atMost(Duration.ofSeconds(60)).until(() ->
                        status(sidecar).at("/move/in_flight").isEmpty() && futures(admin) == 0);
                JsonNode move = status(sidecar).at("/move");
                System.out.println("guardian move report: " + move);
                List<String> completed = new ArrayList<>();
                move.at("/recent").forEach(m -> {
                    assertThat(m.path("outcome").asText()).as(m.toString()).isEqualTo("completed");
                    assertThat(m.path("from").asText()).isEqualTo(smallDir.toString());
                    assertThat(m.path("to").asText()).isEqualTo(bigDir.toString());
                    completed.add(m.path("partition").asText());
                });
                assertThat(completed).as("replicas moved to the sibling").isNotEmpty();

                // Kafka's own tool says where each replica lives, and agrees with the guardian.
                Map<String, String> kafkaSays = logDirsCommand(cluster.bootstrapServers());
                System.out.println("kafka-log-dirs --describe: " + kafkaSays);
                assertThat(kafkaSays).hasSize(PARTITIONS);
                completed.forEach(p -> assertThat(kafkaSays).containsEntry(p, bigDir.toString()));
                assertThat(guardianSays(status(sidecar))).isEqualTo(kafkaSays);

                // Never stopped, never halted, the small dir never went offline.
                assertThat(broker.isAlive()).isTrue();
                assertThat(broker.log()).doesNotContain("have failed").doesNotContain("Stopping serving logs in dir");
                assertThat(tmp.resolve("state").resolve("stops.jsonl")).doesNotExist();
                Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions()
                        .get(30, TimeUnit.SECONDS).get(1);
                dirs.values().forEach(d -> assertThat(d.error()).isNull());
                String scrape = sidecar.sidecar().metrics().scrape();
                assertThat(scrape)
                        .contains("guardian_replica_moves_total{outcome=\"completed\"} " + completed.size() + ".0")
                        .contains("guardian_replica_moves_total{outcome=\"refused\"} 0.0")
                        .contains("guardian_broker_stops_total{outcome=\"clean\",reason=\"time-to-full\"} 0.0")
                        .contains("guardian_replica_moves_in_flight 0.0");
                assertThat(sidecar.sidecar().events().recent()).anySatisfy(e -> {
                    assertThat(e.subject()).isEqualTo("replica-move");
                    assertThat(e.state()).isEqualTo("MOVING");
                });
                assertThat(StatusPage.render(sidecar.sidecar().status()))
                        .contains("Replica moves between the broker&#39;s log dirs (JBOD): on (move.enabled=true)");
            }
            assertThat(workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(60))).isEmpty();
            assertThat(broker.isAlive()).isTrue();
        }
    }

    /** Creates the topic and puts every partition in {@code dir} while they are empty. */
    private static void placeArchiveTopicOn(Admin admin, String dir) throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1).configs(Map.of(
                "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        Map<TopicPartitionReplica, String> there = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            there.put(new TopicPartitionReplica(TOPIC, p, 1), dir);
        }
        await("the archive topic's replicas exist").atMost(Duration.ofSeconds(30)).until(() -> placement(admin).size() == PARTITIONS);
        admin.alterReplicaLogDirs(there).all().get(60, TimeUnit.SECONDS);
        await("every archive partition lives in " + dir).atMost(Duration.ofSeconds(60)).until(() ->
                placement(admin).values().stream().allMatch(dir::equals) && futures(admin) == 0);
    }

    /** Archive partition -> its log dir, current replicas only, as describeLogDirs says. */
    private static Map<String, String> placement(Admin admin) throws Exception {
        Map<String, String> out = new TreeMap<>();
        admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).get(1).forEach((dir, d) ->
                d.replicaInfos().forEach((tp, info) -> {
                    if (!info.isFuture() && tp.topic().equals(TOPIC)) {
                        out.put(tp.toString(), dir);
                    }
                }));
        return out;
    }

    private static long futures(Admin admin) throws Exception {
        return admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).get(1).values().stream()
                .flatMap(d -> d.replicaInfos().values().stream()).filter(i -> i.isFuture()).count();
    }

    /** {@code kafka-log-dirs.sh --describe}: Kafka's LogDirsCommand in a JVM of its own; partition -> log dir. */
    private static Map<String, String> logDirsCommand(String bootstrap) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.LogDirsCommand",
                "--bootstrap-server", bootstrap, "--describe", "--broker-list", "1", "--topic-list", TOPIC);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String json = out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(out));
        Map<String, String> where = new TreeMap<>();
        for (JsonNode b : Json.MAPPER.readTree(json).path("brokers")) {
            for (JsonNode d : b.path("logDirs")) {
                assertThat(d.path("error").isNull()).as(d.toString()).isTrue();
                for (JsonNode r : d.path("partitions")) {
                    assertThat(r.path("isFuture").asBoolean()).as(r.toString()).isFalse();
                    where.put(r.path("partition").asText(), d.path("logDir").asText());
                }
            }
        }
        return where;
    }

    /** The archive partitions in the guardian's report: partition -> log dir. */
    private static Map<String, String> guardianSays(JsonNode status) {
        Map<String, String> where = new TreeMap<>();
        for (JsonNode d : status.at("/move/log_dirs")) {
            for (JsonNode p : d.path("partitions")) {
                if (new TopicPartition(TOPIC, 0).topic().equals(p.asText().substring(0, p.asText().lastIndexOf('-')))) {
                    where.put(p.asText(), d.path("log_dir").asText());
                }
            }
        }
        return where;
    }

    private static JsonNode status(SidecarServer sidecar) throws Exception {
        return Json.MAPPER.readTree(Json.write(sidecar.sidecar().status().orElseThrow()));
    }

    /** A file of {@code bytes} real blocks. */
    private static void fill(Path file, long bytes) throws Exception {
        byte[] chunk = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long written = 0; written < bytes; written += chunk.length) {
                f.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
            f.getFD().sync();
        }
        assertThat(Files.size(file)).isEqualTo(bytes);
    }
}
