package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 4: a drop is atomic against a broker start. The drop runs as its own process (as
 * an operator runs it) and is held in its reassignment phase by a replication throttle on the new
 * copy. A broker started meanwhile fails on the .lock the drop holds and loads nothing; prestart
 * says a drop is running (exit 3). A drop killed with -9 leaves a marker that prestart reports
 * with the command that finishes it, without blocking the start; that command finishes it. A drop
 * that gave up waiting is undone by the --undo command prestart prints.
 */
@Tag("broker")
class DropAgainstBrokerStartTest {

    static final String TOPIC = "archive";
    static final int RECORD = 1024;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aBrokerStartedDuringADropFailsOnTheLockAndADropKilledMidwayIsReportedAndFinished() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).build().start()) {
            ChildBroker broker1 = cluster.broker(1);
            Path logDir = broker1.logDirs().get(0);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(2, 1), 1, List.of(2, 1), 2, List.of(2, 1)))
                        .configs(Map.of("min.insync.replicas", "1")))).all().get(60, TimeUnit.SECONDS);
            }
            Map<TopicPartition, Long> acked = produce(cluster.bootstrapServers(), 4 * 1024);
            broker1.stop();
            Path trash = logDir.resolveSibling(logDir.getFileName() + ".guardian-trash");
            Path marker = trash.resolve(DropMarker.FILE);
            String[] common = {"--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers(), "--logdir", logDir.toString()};

            // 1. A drop in progress holds the log dir: the broker cannot start on it.
            throttle(cluster, true);
            Process drop = dropProcess(common, "archive-0", Files.createTempFile("drop-a", ".log"));
            await("the drop is waiting for the controller").atMost(Duration.ofSeconds(90))
                    .until(() -> Files.exists(marker) && Files.readString(marker).contains("\"phase\" : \"reassigning\"")
                            && reassigning(cluster, "archive-0"));
            Run prestart = run("prestart", "--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers());
            assertThat(prestart.code()).as(prestart.out() + prestart.err()).isEqualTo(3);
            assertThat(prestart.out()).contains("DO NOT START THE BROKER: a drop is running").contains("pid " + drop.pid())
                    .contains("archive-0");

            int startsBefore = broker1.starts();
            broker1.start();
            int exit = broker1.awaitExit(Duration.ofSeconds(120));
            String attempt = broker1.log().substring(broker1.log().lastIndexOf("=== start"));
            System.out.println("broker start during the drop: exit " + exit + "\n" + broker1.tail(15));
            assertThat(exit).isNotZero();
            // In combined mode the raft layer opens __cluster_metadata-0 before the log manager takes
            // .lock; no topic partition of the log dir is loaded.
            assertThat(attempt).contains("Failed to acquire lock on file .lock").doesNotContain("partition=archive-")
                    .doesNotContain(ChildBroker.STARTED_LINE);
            assertThat(broker1.starts()).isEqualTo(startsBefore + 1);
            assertThat(drop.isAlive()).as("the drop was still running when the broker tried").isTrue();

            throttle(cluster, false);
            assertThat(drop.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(drop.exitValue()).isZero();
            assertThat(marker).doesNotExist();
            assertThat(logDir.resolve("archive-0")).doesNotExist();
            assertThat(logDir.resolve("archive-1")).isDirectory();

            // 2. A drop killed with -9 mid-way: reported, not blocking, and finished by the printed command.
            throttle(cluster, true);
            Process killed = dropProcess(common, "archive-1", Files.createTempFile("drop-b", ".log"));
            await("the second drop is waiting for the controller").atMost(Duration.ofSeconds(90))
                    .until(() -> Files.exists(marker) && Files.readString(marker).contains("\"phase\" : \"reassigning\"")
                            && reassigning(cluster, "archive-1"));
            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(marker).exists();

            Run afterKill = run("prestart", "--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers());
            System.out.println("prestart after the drop was killed:\n" + afterKill.out() + afterKill.err());
            assertThat(afterKill.code()).as("a dead drop does not block the start").isZero();
            assertThat(afterKill.out()).contains("WARNING: a drop did not finish").contains("phase reassigning")
                    .contains("archive-1").contains(" --finish").contains(" --undo");
            String finishLine = afterKill.out().lines().filter(l -> l.contains("--finish")).findFirst().orElseThrow();
            List<String> finish = new ArrayList<>(List.of(finishLine.substring(finishLine.indexOf("guardian drop ") + "guardian drop ".length())
                    .trim().split("\\s+")));
            finish.add(0, "drop");

            throttle(cluster, false);
            Run finished = run(finish.toArray(String[]::new));
            System.out.println("guardian " + String.join(" ", finish) + ":\n" + finished.out() + finished.err());
            assertThat(finished.code()).as(finished.out() + finished.err()).isZero();
            assertThat(marker).doesNotExist();
            assertThat(logDir.resolve("archive-1")).doesNotExist();
            assertThat(trash.resolve("audit.jsonl")).content().contains("\"action\":\"finishing\"").contains("\"action\":\"locked\"");

            // 3. A drop that gives up waiting for the controller (exit 1) keeps its marker; the --undo
            //    prestart prints gives the partition its previous replicas back.
            throttle(cluster, true);
            Path shortWait = Files.createTempFile("guardian-short-wait", ".properties");
            Files.writeString(shortWait, "drop.reassignment.timeout.ms=3000\n");
            Path timedOutLog = Files.createTempFile("drop-c", ".log");
            Process timedOut = dropProcess(common, "archive-2", timedOutLog, "--config", shortWait.toString());
            assertThat(timedOut.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String timedOutOut = Files.readString(timedOutLog);
            System.out.println("drop with a 3 s wait:\n" + timedOutOut);
            assertThat(timedOut.exitValue()).isEqualTo(1);
            assertThat(timedOutOut).contains("did not complete within 3 s").contains("its marker stays");
            assertThat(marker).exists();
            assertThat(logDir.resolve("archive-2")).as("no local data moved").isDirectory();
            Run reported = run("prestart", "--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers());
            assertThat(reported.code()).isZero();
            assertThat(reported.out()).contains("WARNING: a drop did not finish").contains("archive-2");
            throttle(cluster, false);
            String undoLine = reported.out().lines().filter(l -> l.contains(" --undo")).findFirst().orElseThrow();
            List<String> undo = new ArrayList<>(List.of(undoLine.substring(undoLine.indexOf("guardian drop ") + "guardian drop ".length(),
                    undoLine.indexOf(" --undo")).trim().split("\\s+")));
            undo.add(0, "drop");
            undo.add("--undo");
            Run undone = run(undo.toArray(String[]::new));
            System.out.println("guardian " + String.join(" ", undo) + ":\n" + undone.out() + undone.err());
            assertThat(undone.code()).as(undone.out() + undone.err()).isZero();
            assertThat(undone.out()).contains("Submitted to the controller: give back the previous replicas of 1 partitions [archive-2]");
            assertThat(marker).doesNotExist();
            assertThat(logDir.resolve("archive-2")).as("it never left the log dir").isDirectory();

            // 4. The broker starts on the log dir the drops left and nothing acknowledged is lost:
            //    archive-0 and -1 moved to [2, 3], archive-2 is back on [2, 1].
            broker1.start().awaitStarted(Duration.ofSeconds(120));
            try (Admin admin = cluster.admin()) {
                try {
                    await("the reassignments settle").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS).isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("reassignments " + admin.listPartitionReassignments().reassignments().get()
                            + "; partitions " + admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()
                            + "\nbroker 1:\n" + broker1.tail(60), e);
                }
                var d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
                d.partitions().forEach(p -> assertThat(p.replicas().stream().map(Node::id).toList()).as("archive-" + p.partition())
                        .containsExactly(2, p.partition() == 2 ? 1 : 3));
            }
            assertThat(consumedCounts(cluster.bootstrapServers(), acked.keySet())).isEqualTo(acked);
        }
    }

    /** {@code drop <common options> <more>}. */
    private static String[] drop(String[] common, String... more) {
        List<String> all = new ArrayList<>(List.of("drop"));
        all.addAll(List.of(common));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static boolean reassigning(ChildBrokerCluster cluster, String partition) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS).keySet().stream()
                    .anyMatch(tp -> tp.toString().equals(partition));
        }
    }

    private static Process dropProcess(String[] common, String partition, Path output, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "io.archiveguardian.guardian.cli.Main", "drop"));
        cmd.addAll(List.of(common));
        cmd.addAll(List.of(more));
        cmd.addAll(List.of("--partition", partition, "--execute"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** A replication throttle that holds a new copy's catch-up (and so the reassignment) for a minute or more. */
    private static void throttle(ChildBrokerCluster cluster, boolean on) throws Exception {
        try (Admin admin = cluster.admin()) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new java.util.HashMap<>();
            for (String broker : List.of("2", "3")) {
                List<AlterConfigOp> list = new ArrayList<>();
                for (String key : List.of("leader.replication.throttled.rate", "follower.replication.throttled.rate")) {
                    list.add(on ? new AlterConfigOp(new ConfigEntry(key, "40000"), AlterConfigOp.OpType.SET)
                            : new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
                }
                ops.put(new ConfigResource(ConfigResource.Type.BROKER, broker), list);
            }
            List<AlterConfigOp> topic = new ArrayList<>();
            for (String key : List.of("leader.replication.throttled.replicas", "follower.replication.throttled.replicas")) {
                topic.add(on ? new AlterConfigOp(new ConfigEntry(key, "*"), AlterConfigOp.OpType.SET)
                        : new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
            }
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), topic);
            admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Produces {@code records} per partition with acks=all; returns the acknowledged count per partition. */
    private static Map<TopicPartition, Long> produce(String bootstrap, int records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<TopicPartition, Long> acked = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        byte[] value = new byte[RECORD];
        new java.util.Random(7).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (int partition = 0; partition < 3; partition++) {
                for (int i = 0; i < records; i++) {
                    sent.add(producer.send(new ProducerRecord<>(TOPIC, partition, null, value)));
                }
            }
            for (var f : sent) {
                var m = f.get();
                acked.merge(new TopicPartition(m.topic(), m.partition()), 1L, Long::sum);
            }
        }
        return acked;
    }

    private static Map<TopicPartition, Long> consumedCounts(String bootstrap, java.util.Set<TopicPartition> partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<TopicPartition, Long> counts = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
