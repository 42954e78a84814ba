package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DiskPressure;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.InProcessCluster;
import io.archiveguardian.testsupport.SmallFilesystem;
import io.archiveguardian.testsupport.TestEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop's safety rule where data is deleted, on a real in-process KRaft cluster of three brokers:
 * broker 2's log dir sits on a 48 MiB tmpfs filled to a few hundred KiB of usable space, so Kafka's
 * own {@code describeLogDirs} totals put it at critical pressure by the guardian's thresholds. No
 * sidecar and no cluster view run: the pressure must come from those totals alone. Broker 0 is
 * stopped; its replica of {@code guarded-0} has its only other in-sync copy on broker 2.
 */
@Tag("broker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropCriticalCopyTest {

    private static final long MIB = 1024L * 1024L;

    private static SmallFilesystem disk2;
    private static InProcessCluster cluster;
    @TempDir
    static Path temp;
    private static Path config;
    private static int sidecarPort;
    private static Path logDir0;

    @BeforeAll
    static void clusterWithBroker2OnAFullDisk() throws Exception {
        TestEnvironment.requireRoot();
        disk2 = SmallFilesystem.mount(SmallFilesystem.Type.TMPFS, 48 * MIB);
        cluster = InProcessCluster.start(3, 1, Map.of(), formatted -> moveOnto(formatted.logDirs(2).get(0), disk2.root()));
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(
                    new NewTopic("guarded", Map.of(0, List.of(0, 2))).configs(Map.of("min.insync.replicas", "1")),
                    new NewTopic("fine", Map.of(0, List.of(0, 1))).configs(Map.of("min.insync.replicas", "1"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        produce();
        fill(disk2.root().resolve("filler"), 512 * 1024);
        logDir0 = cluster.logDirs(0).get(0);
        cluster.stopBroker(0);
        try (Admin admin = cluster.admin()) {
            await("broker 0 leaves the ISRs").atMost(Duration.ofSeconds(60)).until(() -> admin
                    .describeTopics(List.of("guarded", "fine")).allTopicNames().get().values().stream()
                    .flatMap(t -> t.partitions().stream()).allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == 0)));
        }
        config = temp.resolve("guardian.properties");
        // This host's sidecar address, where no sidecar runs: the plans say they had no cluster view.
        sidecarPort = io.archiveguardian.testsupport.Ports.free();
        Files.writeString(config, "node.id=0\nlog.dirs=" + logDir0 + "\nbootstrap.servers=" + cluster.bootstrapServers()
                + "\nadmin.timeout.ms=10000\ndrop.reassignment.timeout.ms=60000\nhttp.listen=127.0.0.1:" + sidecarPort + "\n");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (disk2 != null) {
            disk2.close();
        }
    }

    @Test
    @Order(1)
    void anotherBrokersDiskPressureComesFromItsDescribeLogDirsTotals() {
        ClusterSnapshot snapshot;
        try (Admin admin = cluster.admin()) {
            snapshot = new DropAdvisor(admin, Duration.ofSeconds(10), Clock.systemUTC()).observe(0, List.of(logDir0));
        }
        LogDirState dir2 = snapshot.logDirs().stream().filter(d -> d.broker() == 2).findFirst().orElseThrow();
        LogDirState dir1 = snapshot.logDirs().stream().filter(d -> d.broker() == 1).findFirst().orElseThrow();

        assertThat(dir2.totalBytes()).as("Kafka's totalBytes of the 48 MiB tmpfs").isBetween(40 * MIB, 48 * MIB);
        assertThat(dir2.usableBytes()).isLessThan(2 * MIB);
        assertThat(dir2.pressure()).isEqualTo(DiskPressure.CRITICAL);
        assertThat(dir1.pressure()).isEqualTo(dir1.usableBytes() < dir1.totalBytes() / 20 ? DiskPressure.CRITICAL : DiskPressure.NORMAL);
    }

    @Test
    @Order(2)
    void thePlanSaysACopyOnACriticalDiskIsNotReliedOn() throws Exception {
        Run r = run("drop-candidates", "--config", config.toString(), "--need", "1", "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(r.out());
        JsonNode guarded = replica(json, "guarded");
        assertThat(guarded.get("safe").asBoolean()).isFalse();
        assertThat(guarded.get("reason").asText()).startsWith("only 0 in-sync copies on a disk not at critical pressure [], "
                + "need max(1, min.insync.replicas=1) = 1 (log dir ").contains(" of broker 2 is at critical pressure (Kafka reports ")
                .contains(" usable of ");
        assertThat(replica(json, "fine").get("safe").asBoolean()).isTrue();
        assertThat(json.at("/cluster_view/state").asText()).isEqualTo("none");
        assertThat(json.at("/cluster_view/detail").asText()).contains("other brokers' disk pressure comes from describeLogDirs");

        Run text = run("drop", "--config", config.toString(), "--need", "1");
        assertThat(text.out()).contains("Cluster view: no cluster view (cannot reach the sidecar at http://127.0.0.1:"
                + sidecarPort + ": connection refused, nothing listens there): silent sidecars are not judged");
    }

    @Test
    @Order(3)
    void executeDoesNotDropAReplicaWhoseOnlyOtherCopyIsOnACriticalDisk() throws Exception {
        Run r = run("drop", "--config", config.toString(), "--partition", "guarded-0", "--execute");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("guarded-0 is not safe to drop: only 0 in-sync copies on a disk not at critical pressure")
                .contains("of broker 2 is at critical pressure").contains("Nothing was changed.");
        assertThat(logDir0.resolve("guarded-0")).isDirectory();
        try (Admin admin = cluster.admin()) {
            assertThat(admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(replicas(admin, "guarded")).containsExactly(0, 2);
        }
    }

    @Test
    @Order(4)
    void undoAfterAFailedDropRestoresNothingOfAnOlderDropAndSaysWhich() throws Exception {
        Run dropped = run("drop", "--config", config.toString(), "--partition", "fine-0", "--execute");
        assertThat(dropped.code()).as(dropped.out() + dropped.err()).isZero();
        assertThat(logDir0.resolve("fine-0")).doesNotExist();
        Run failed = run("drop", "--config", config.toString(), "--partition", "guarded-0", "--execute");
        assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(3);

        Run undo = run("drop", "--config", config.toString(), "--undo");

        assertThat(undo.code()).as(undo.out() + undo.err()).isEqualTo(3);
        assertThat(undo.err()).contains("the last drop").contains("moved nothing").contains("--batch ");
        assertThat(logDir0.resolve("fine-0")).as("the older drop's batch stays in the trash").doesNotExist();
        try (Admin admin = cluster.admin()) {
            assertThat(replicas(admin, "fine")).doesNotContain(0);
        }

        String batch = undo.err().replaceAll("(?s).*--batch (\\d{8}-\\d{6}-\\d{3}-broker-0).*", "$1");
        Run explicit = run("drop", "--config", config.toString(), "--undo", "--batch", batch);
        assertThat(explicit.code()).as(explicit.out() + explicit.err()).isZero();
        assertThat(logDir0.resolve("fine-0")).isDirectory();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode replica(JsonNode json, String topic) {
        for (JsonNode r : json.get("replicas")) {
            if (r.get("topic").asText().equals(topic)) {
                return r;
            }
        }
        throw new AssertionError("no replica of " + topic + " in " + json);
    }

    private static List<Integer> replicas(Admin admin, String topic) throws Exception {
        TopicDescription t = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        return t.partitions().get(0).replicas().stream().map(Node::id).toList();
    }

    /** Moves the formatted log dir onto the small filesystem and leaves a symbolic link in its place. */
    private static void moveOnto(Path logDir, Path filesystem) {
        Path target = filesystem.resolve("broker-2-logs");
        try (Stream<Path> walk = Files.walk(logDir)) {
            for (Path p : walk.toList()) {
                Path to = target.resolve(logDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> walk = Files.walk(logDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            Files.createSymbolicLink(logDir, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a plain file at the filesystem's root (the broker ignores it) until {@code leave} bytes are usable. */
    private static void fill(Path file, long leave) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            while (Files.getFileStore(file).getUsableSpace() > leave + block.length) {
                f.write(block);
            }
        }
    }

    private static void produce() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("guarded", 0, null, new byte[300]));
                producer.send(new ProducerRecord<>("fine", 0, null, new byte[400]));
            }
            producer.flush();
        }
    }
}
