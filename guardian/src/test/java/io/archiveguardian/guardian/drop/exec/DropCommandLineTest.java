package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.drop.render.DropJson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.testsupport.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drop commands against a real in-process cluster whose brokers all run. */
@Tag("broker")
class DropCommandLineTest {

    private static InProcessCluster cluster;
    @TempDir
    static Path temp;
    private static Path config;
    private static Path logDir0;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = InProcessCluster.start(3);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(
                    new NewTopic("archive", Map.of(0, List.of(0, 1, 2), 1, List.of(0, 1, 2), 2, List.of(1, 2, 0))),
                    new NewTopic("single", Map.of(0, List.of(0))))).all().get(30, TimeUnit.SECONDS);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>("archive", i % 3, null, new byte[200 * (1 + i % 3)]));
                producer.send(new ProducerRecord<>("single", 0, null, new byte[500]));
            }
        }
        logDir0 = cluster.logDirs(0).get(0);
        config = temp.resolve("guardian.properties");
        Files.writeString(config, "node.id=0\nlog.dirs=" + logDir0 + "\nbootstrap.servers=" + cluster.bootstrapServers() + "\n");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void dropCandidatesInJsonListsEveryReplicaOfTheLogDirWithItsVerdict() throws Exception {
        Run r = run("drop-candidates", "--config", config.toString(), "--logdir", logDir0.toString(), "--need", "1K", "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = DropJson.mapper().readTree(r.out());
        List<String> verdicts = new ArrayList<>();
        for (JsonNode replica : json.get("replicas")) {
            assertThat(replica.has("bytes")).isTrue();
            // the broker runs, Kafka reports segment bytes; the local scan adds indexes and snapshots
            assertThat(replica.get("disk_bytes").asLong()).isGreaterThan(replica.get("bytes").asLong());
            verdicts.add(replica.get("topic").asText() + "-" + replica.get("partition").asInt() + "=" + replica.get("safe").asBoolean());
        }
        assertThat(verdicts).containsExactlyInAnyOrder("archive-0=true", "archive-1=true", "archive-2=true", "single-0=false");
        assertThat(json.get("replicas").findValuesAsText("reason"))
                .contains("broker 0 is the last ISR member (ISR [0])");
        assertThat(json.get("plan").get("need_bytes").asLong()).isEqualTo(1024);
        assertThat(json.get("plan").get("sufficient").asBoolean()).isTrue();
        assertThat(json.get("plan").get("purge").asBoolean()).isFalse();
        assertThat(json.get("plan").get("freed_on_disk_bytes").asLong()).as("kept in the trash: nothing freed on disk").isZero();
        assertThat(json.get("plan").get("disk_bytes_if_deleted").asLong()).isPositive();
        assertThat(json.get("replicas").get(0).get("bytes").asLong())
                .isGreaterThanOrEqualTo(json.get("replicas").get(1).get("bytes").asLong());
    }

    @Test
    void dropCandidatesInTextMarksThePlannedReplicasAndGivesReasons() {
        Run r = run("drop-candidates", "--config", config.toString(), "--need", "1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(logDir0 + " of broker 0: 4 replicas, 3 safe to drop (")
                .contains("Need 1 B: the plan frees ")
                .contains("UNSAFE single-0  broker 0 is the last ISR member (ISR [0])")
                .contains("The local copies move to the trash on the same disk: that frees nothing on disk")
                .containsPattern("\\* +[0-9.]+ KiB +[0-9.]+ KiB +safe +archive-2  2 in-sync copies on other live brokers \\[1, 2\\]");
    }

    @Test
    void dropPrintsThePlanWithTargetsAndResultingReplicationFactorAndChangesNothing() throws Exception {
        Run r = run("drop", "--config", config.toString(), "--need", "1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Drop plan for " + logDir0 + " of broker 0")
                .contains("replicas [1, 2, 0] -> [1, 2]  no broker can hold a new copy: RF 3 -> 2")
                .contains("Nothing was changed.");
        try (Admin admin = cluster.admin()) {
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        }
        assertThat(logDir0.resolve("archive-2")).isDirectory();
    }

    @Test
    void dropInJsonGivesEachMoveWithItsReassignmentAndResultingReplicationFactor() throws Exception {
        Run r = run("drop", "--config", config.toString(), "--need", "1", "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = DropJson.mapper().readTree(r.out());
        assertThat(json.get("sufficient").asBoolean()).isTrue();
        JsonNode move = json.get("drops").get(0);
        assertThat(move.get("topic").asText()).isEqualTo("archive");
        assertThat(move.get("safe").asBoolean()).isTrue();
        assertThat(move.get("target").isNull()).isTrue();
        assertThat(move.get("current_replication_factor").asInt()).isEqualTo(3);
        assertThat(move.get("resulting_replication_factor").asInt()).isEqualTo(2);
        assertThat(move.get("new_replicas").toString()).doesNotContain("0");
        assertThat(json.get("planned_bytes").asLong()).isEqualTo(move.get("bytes").asLong());
    }

    @Test
    void aPlanThatCannotFreeEnoughExitsThreeAndSaysTheShortfall() {
        Run r = run("drop", "--config", config.toString(), "--need", "1T");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("Need 1 TiB: the safe replicas free only ").contains(" short.");
    }

    @Test
    void executeRefusesWhileTheBrokerRunsAndChangesNothing() throws Exception {
        Run r = run("drop", "--config", config.toString(), "--need", "1", "--execute");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("the broker on this host is running").contains("nothing was changed");
        assertThat(logDir0.resolve("archive-2")).isDirectory();
        try (Admin admin = cluster.admin()) {
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
            assertThat(admin.describeTopics(List.of("archive")).allTopicNames().get().get("archive").partitions())
                    .allMatch(p -> p.replicas().size() == 3);
        }
    }

    @Test
    void undoRefusesWhileTheBrokerRuns() {
        Run r = run("drop", "--config", config.toString(), "--undo");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("the broker on this host is running");
        assertThat(logDir0.resolve("archive-0")).isDirectory();
    }

    @Test
    void purgeWithUndoAPlanWithoutNeedAndABadPartitionAreUsageErrors() {
        assertThat(run("drop", "--config", config.toString(), "--undo", "--purge").code()).isEqualTo(2);
        Run noNeed = run("drop", "--config", config.toString());
        assertThat(noNeed.code()).isEqualTo(2);
        assertThat(noNeed.err()).contains("--need SIZE or --partition TOPIC-N is required to plan a drop");
        Run badPartition = run("drop", "--config", config.toString(), "--partition", "archive");
        assertThat(badPartition.code()).isEqualTo(2);
        assertThat(badPartition.err()).contains("'archive' is not a partition: use TOPIC-N, e.g. archive-4");
        Run both = run("drop", "--config", config.toString(), "--partition", "archive-1", "--need", "1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give either --need SIZE or --partition TOPIC-N, not both");
    }

    @Test
    void aNeedThatIsNotASizeIsAUsageErrorNamingIt() {
        Run r = run("drop-candidates", "--config", config.toString(), "--need", "20Q");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--need").contains("'20Q' is not a size");
    }

    @Test
    void aLogDirThatIsNotTheBrokersIsAUsageErrorListingItsLogDirs() {
        Run r = run("drop-candidates", "--config", config.toString(), "--logdir", temp.toString(), "--need", "1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logdir " + temp + " is not a log dir of broker 0; its log dirs are [" + logDir0 + "]");
    }

    @Test
    void anUnreachableClusterFailsWithExitOneAndAClearMessage() throws Exception {
        Path unreachable = temp.resolve("unreachable.properties");
        Files.writeString(unreachable, "node.id=0\nlog.dirs=" + logDir0 + "\nbootstrap.servers=127.0.0.1:1\nadmin.timeout.ms=1500\n");

        Run r = run("drop-candidates", "--config", unreachable.toString(), "--need", "1");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("within 1500 ms: the cluster did not answer");
    }

    @Test
    void emptyTrashDeletesTheTrashedCopyOfATopicThatWasDeletedSinceAndExitsZero() throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("gone", Map.of(0, List.of(1, 2))))).all().get(30, TimeUnit.SECONDS);
        }
        // A batch as a drop from broker 0 left it: gone-0 moved to [1, 2], its copy kept in the trash.
        String id = "20261201-000000-000-broker-0";
        Path batchDir = Files.createDirectories(logDir0.resolveSibling(logDir0.getFileName() + ".guardian-trash").resolve(id));
        Files.write(Files.createDirectories(batchDir.resolve("gone-0")).resolve("00000000000000000000.log"), new byte[700]);
        StateFiles.MAPPER.writeValue(batchDir.resolve(DropTrash.MANIFEST).toFile(), new TrashBatch(id, "2026-12-01T00:00:00Z", 0,
                logDir0.toString(), List.of(new TrashEntry("gone", 0, 700, List.of(0, 1, 2), List.of(1, 2)))));
        try (Admin admin = cluster.admin()) {
            admin.deleteTopics(List.of("gone")).all().get(30, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await("topic gone is deleted").atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> !admin.listTopics().names().get().contains("gone"));
        }

        Run r = run("drop", "--config", config.toString(), "--empty-trash");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Deleted batch " + id).contains("topic 'gone' was deleted from the cluster");
        assertThat(batchDir).doesNotExist();
        Run again = run("drop", "--config", config.toString(), "--empty-trash");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
    }
}
