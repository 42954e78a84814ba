package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.drop.ReplicaOnDisk;
import io.archiveguardian.guardian.drop.observe.LocalLogDirScanner;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole guarded drop with real brokers as child processes: broker 1 is stopped, its replicas dropped. */
@Tag("broker")
class DropExecuteEndToEndTest {

    private static final List<String> TOPICS = List.of("archive", "pairs");

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aStoppedBrokerDropsSafeReplicasStartsAgainWithoutThemAndNoAcknowledgedRecordIsLost() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).build().start()) {
            ChildBroker broker1 = cluster.broker(1);
            Path logDir = broker1.logDirs().get(0);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(
                        new NewTopic("archive", 4, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                        new NewTopic("pairs", Map.of(0, List.of(1, 2), 1, List.of(1, 3), 2, List.of(2, 3)))
                                .configs(Map.of("min.insync.replicas", "1"))))
                        .all().get(60, TimeUnit.SECONDS);
            }
            Map<TopicPartition, Map<Long, String>> acked = produce(cluster.bootstrapServers());

            broker1.stop();
            try (Admin admin = cluster.admin()) {
                await("broker 1 leaves every ISR").atMost(Duration.ofSeconds(60))
                        .until(() -> describe(admin).values().stream().flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == 1)));
            }
            Map<String, Long> before = sizes(logDir);
            long need = before.values().stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
            String[] common = {"--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers(), "--logdir", logDir.toString()};

            refusalsChangeNothing(cluster, common, logDir, before);

            Run executed = run(concat(common, "drop", "--need", Long.toString(need), "--execute"));

            System.out.println(executed.out());
            assertThat(executed.code()).as(executed.out() + executed.err()).isZero();
            assertThat(executed.out()).contains("Re-checked every rule against fresh metadata: unchanged.")
                    .contains("The controller completed ").contains("Moved ");
            Map<String, Long> after = sizes(logDir);
            Set<String> dropped = new java.util.TreeSet<>(before.keySet());
            dropped.removeAll(after.keySet());
            long freed = dropped.stream().mapToLong(before::get).sum();
            assertThat(dropped).hasSizeGreaterThanOrEqualTo(2);
            assertThat(freed).isGreaterThanOrEqualTo(need);
            Path trash = logDir.resolveSibling(logDir.getFileName() + ".guardian-trash");
            assertThat(trash.resolve("audit.jsonl")).content().contains("\"action\":\"reassignment-completed\"")
                    .contains("\"action\":\"moved-to-trash\"");
            try (Admin admin = cluster.admin()) {
                Map<String, List<Integer>> replicas = replicas(admin);
                for (String d : dropped) {
                    assertThat(replicas.get(d)).as(d).doesNotContain(1).isNotEmpty();
                }
                assertThat(replicas.get("pairs-2")).containsExactly(2, 3);
            }

            broker1.start().awaitStarted(Duration.ofSeconds(120));
            try (Admin admin = cluster.admin()) {
                await("broker 1 back in the ISR of what it still holds").atMost(Duration.ofSeconds(90))
                        .until(() -> describe(admin).values().stream().flatMap(t -> t.partitions().stream())
                                .filter(p -> p.replicas().stream().anyMatch(n -> n.id() == 1))
                                .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 1)));
                Map<String, List<Integer>> replicas = replicas(admin);
                for (String d : dropped) {
                    assertThat(replicas.get(d)).as(d).doesNotContain(1);
                    assertThat(logDir.resolve(d)).as("not re-created").doesNotExist();
                }
            }
            Thread.sleep(3000);
            assertThat(broker1.isAlive()).as(broker1.tail(40)).isTrue();

            Run emptied = run(concat(common, "drop", "--empty-trash"));
            assertThat(emptied.code()).as(emptied.out() + emptied.err()).isZero();
            assertThat(emptied.out()).contains("Deleted batch ");
            try (var entries = Files.list(trash)) {
                assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("audit.jsonl");
            }

            assertThat(consumeAll(cluster.bootstrapServers(), acked.keySet())).isEqualTo(acked);
        }
    }

    @Test
    void undoRestoresTheDroppedDirectoriesAndTheReaddedBrokerCatchesUpWithoutLosingARecord() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).build().start()) {
            ChildBroker broker1 = cluster.broker(1);
            Path logDir = broker1.logDirs().get(0);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 4, (short) 3).configs(Map.of("min.insync.replicas", "1")),
                        new NewTopic("pairs", Map.of(0, List.of(1, 2)))))
                        .all().get(60, TimeUnit.SECONDS);
            }
            Map<TopicPartition, Map<Long, String>> acked = produce(cluster.bootstrapServers());
            broker1.stop();
            try (Admin admin = cluster.admin()) {
                await("broker 1 leaves every ISR").atMost(Duration.ofSeconds(60))
                        .until(() -> describe(admin).values().stream().flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == 1)));
            }
            Map<String, Long> before = sizes(logDir);
            String[] common = {"--broker-config", broker1.serverProperties().toString(),
                    "--bootstrap-server", cluster.liveBootstrapServers(), "--logdir", logDir.toString()};
            Run executed = run(concat(common, "drop", "--need", Long.toString(before.get("archive-3") + 1), "--execute"));
            assertThat(executed.code()).as(executed.out() + executed.err()).isZero();
            assertThat(sizes(logDir)).isNotEqualTo(before);

            // Why --undo submits it itself: Kafka's kafka-reassign-partitions.sh refuses a reassignment
            // that names a broker that is not running.
            Path file = Files.writeString(broker1.workDir().resolve("readd.json"),
                    "{\"version\":1,\"partitions\":[{\"topic\":\"pairs\",\"partition\":0,\"replicas\":[2,1]}]}");
            assertThat(reassignPartitions("--bootstrap-server", cluster.liveBootstrapServers(), "--execute",
                    "--reassignment-json-file", file.toString())).contains("Unknown broker id 1");

            Run undone = run(concat(common, "drop", "--undo"));

            assertThat(undone.code()).as(undone.out() + undone.err()).isZero();
            assertThat(sizes(logDir)).isEqualTo(before);
            assertThat(undone.out()).contains("Submitted to the controller: re-add broker 1 to ")
                    .contains("Start the broker: it catches these partitions up");
            try (Admin admin = cluster.admin()) {
                var reassigning = admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS);
                assertThat(reassigning).as("the re-add is with the controller before the broker starts").hasSizeGreaterThanOrEqualTo(2);
                reassigning.values().forEach(r -> assertThat(r.addingReplicas()).contains(1));
            }

            broker1.start().awaitStarted(Duration.ofSeconds(120));
            try (Admin admin = cluster.admin()) {
                await("the re-added replicas are in sync").atMost(Duration.ofSeconds(90))
                        .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty()
                                && describe(admin).values().stream().flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 1)));
            }
            assertThat(broker1.isAlive()).as(broker1.tail(40)).isTrue();
            assertThat(consumeAll(cluster.bootstrapServers(), acked.keySet())).isEqualTo(acked);
        }
    }

    /** Kafka's kafka-reassign-partitions.sh, in-process: what it printed, plus "exit N" when it exited non-zero. */
    private static String reassignPartitions(String... args) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("exit " + code);
        });
        String exit = "";
        try {
            org.apache.kafka.tools.reassign.ReassignPartitionsCommand.main(args);
        } catch (IllegalStateException e) {
            exit = e.getMessage();
        } finally {
            org.apache.kafka.common.utils.Exit.resetExitProcedure();
            System.setOut(before);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8) + exit;
    }

    private static void refusalsChangeNothing(ChildBrokerCluster cluster, String[] common, Path logDir,
                                              Map<String, Long> before) throws Exception {
        Run tooMuch = run(concat(common, "drop", "--need", "1T", "--execute"));
        assertThat(tooMuch.code()).isEqualTo(3);
        assertThat(tooMuch.err()).contains("the plan cannot free enough").contains("Nothing was changed.");

        Path unreachable = Files.createTempFile("guardian-unreachable", ".properties");
        Files.writeString(unreachable, "admin.timeout.ms=1500\n");
        String[] wrongCluster = common.clone();
        wrongCluster[3] = "127.0.0.1:1";
        Run noCluster = run(concat(wrongCluster, "drop", "--config", unreachable.toString(), "--need", "1", "--execute"));
        assertThat(noCluster.code()).isEqualTo(1);
        assertThat(noCluster.err()).contains("within 1500 ms: the cluster did not answer");

        Run emptyTooEarly = run(concat(common, "drop", "--empty-trash"));
        assertThat(emptyTooEarly.code()).isEqualTo(3);
        assertThat(emptyTooEarly.err()).contains("the broker on this host is not running");

        assertThat(sizes(logDir)).isEqualTo(before);
        try (Admin admin = cluster.admin()) {
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
            assertThat(replicas(admin).values()).filteredOn(r -> r.contains(1)).hasSize(6);
        }
    }

    private static Map<TopicPartition, Map<Long, String>> produce(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<TopicPartition, Map<Long, String>> acked = new HashMap<>();
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            List<String> values = new ArrayList<>();
            Map<String, Integer> partitions = new HashMap<>();
            for (String topic : TOPICS) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    partitions.put(topic, admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get(topic).partitions().size());
                }
            }
            for (var t : partitions.entrySet()) {
                for (int p = 0; p < t.getValue(); p++) {
                    for (int i = 0; i < 300 * (p + 1); i++) {
                        String value = t.getKey() + "/" + p + "/" + i + "/" + "x".repeat(200);
                        values.add(value);
                        sends.add(producer.send(new ProducerRecord<>(t.getKey(), p, null, value)));
                    }
                }
            }
            producer.flush();
            for (int i = 0; i < sends.size(); i++) {
                RecordMetadata m = sends.get(i).get(30, TimeUnit.SECONDS);
                acked.computeIfAbsent(new TopicPartition(m.topic(), m.partition()), k -> new TreeMap<>()).put(m.offset(), values.get(i));
            }
        }
        return acked;
    }

    private static Map<TopicPartition, Map<Long, String>> consumeAll(String bootstrap, Set<TopicPartition> partitions) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<TopicPartition, Map<Long, String>> read = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new TreeMap<>()).put(r.offset(), r.value());
                }
            }
        }
        return read;
    }

    private static Map<String, TopicDescription> describe(Admin admin) throws Exception {
        return admin.describeTopics(TOPICS).allTopicNames().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, List<Integer>> replicas(Admin admin) throws Exception {
        Map<String, List<Integer>> result = new TreeMap<>();
        describe(admin).forEach((name, t) -> t.partitions().forEach(p ->
                result.put(name + "-" + p.partition(), p.replicas().stream().map(Node::id).toList())));
        return result;
    }

    /** Segment bytes per partition directory of our topics in the log dir. */
    private static Map<String, Long> sizes(Path logDir) {
        return LocalLogDirScanner.scan(1, logDir).replicas().stream()
                .filter(r -> TOPICS.contains(r.partition().topic()))
                .collect(Collectors.toMap(r -> r.partition().toString(), ReplicaOnDisk::bytes, (a, b) -> a, TreeMap::new));
    }

    private static String[] concat(String[] common, String command, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(common));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
