package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropPlanner;
import io.archiveguardian.guardian.drop.DropRequest;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.PartitionState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.testsupport.InProcessCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("broker")
class DropClusterObserverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, Integer> MIN_ISR = Map.of("archive", 2, "strict", 3, "single", 1);

    private static InProcessCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startClusterWithThreeTopics() throws Exception {
        cluster = InProcessCluster.start(3);
        admin = cluster.admin();
        admin.createTopics(List.of(
                new NewTopic("archive", 4, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                new NewTopic("strict", 2, (short) 3).configs(Map.of("min.insync.replicas", "3")),
                new NewTopic("single", Map.of(0, List.of(2), 1, List.of(0)))))
                .all().get(30, TimeUnit.SECONDS);
        produce(Map.of("archive", 4, "strict", 2, "single", 2), 200);
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRunningClusterIsObservedWithTheReplicaSizesKafkaReportsAndTheLocalScanAgrees() {
        ClusterSnapshot snapshot = new ClusterObserver(admin, TIMEOUT, Clock.systemUTC()).observe();
        Path dir0 = cluster.logDirs(0).get(0);

        assertThat(snapshot.liveBrokers()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(partition(snapshot, "strict", 1).minInsyncReplicas()).isEqualTo(3);
        assertThat(partition(snapshot, "archive", 0).isr()).hasSize(3);
        LogDirState fromKafka = snapshot.logDirs().stream()
                .filter(d -> d.broker() == 0 && d.path().equals(dir0.toString())).findFirst().orElseThrow();
        assertThat(fromKafka.online()).isTrue();
        assertThat(fromKafka.totalBytes()).isPositive();
        assertThat(fromKafka.replicas()).extracting(r -> r.partition().topic()).contains("archive", "strict", "single");
        assertThat(fromKafka.replicas()).allMatch(r -> r.bytes() > 0);

        LogDirState scanned = LocalLogDirScanner.scan(0, dir0);
        assertThat(sizes(scanned)).isEqualTo(sizes(fromKafka));
    }

    @Test
    void afterABrokerStopsAndTheIsrShrinksTheCandidatesMatchWhatKafkaReports() throws Exception {
        cluster.stopBroker(2);
        try {
            await("broker 2 leaves every ISR").atMost(Duration.ofSeconds(60))
                    .until(() -> describe().values().stream().flatMap(t -> t.partitions().stream())
                            .allMatch(p -> p.isr().stream().noneMatch(n -> n.id() == 2)));
            Path dir2 = cluster.logDirs(2).get(0);
            ClusterSnapshot snapshot = new ClusterObserver(admin, TIMEOUT, Clock.systemUTC()).observe()
                    .withLogDirsOf(2, List.of(LocalLogDirScanner.scan(2, dir2)));

            DropCandidates candidates = DropPlanner.plan(snapshot, DropRequest.of(2, dir2.toString(), 1));

            assertThat(snapshot.liveBrokers()).containsExactlyInAnyOrder(0, 1);
            Map<String, Boolean> expected = expectedVerdictsFromKafka(2);
            Map<String, Boolean> actual = new TreeMap<>();
            candidates.replicas().forEach(v -> actual.put(v.partition().toString(), v.safe()));
            assertThat(actual).isEqualTo(expected);
            assertThat(actual).containsEntry("archive-0", true).containsEntry("strict-0", false).containsEntry("single-0", false);
            // Kafka 4.3 with KIP-966: the stopped last member leaves the ISR but stays the only ELR member.
            assertThat(reason(candidates, "single-0")).isEqualTo("broker 2 is the last ELR member (ISR [], ELR [2], last known ELR [2])");
            assertThat(reason(candidates, "strict-0")).startsWith("only 2 in-sync replicas on other live brokers [");
            assertThat(candidates.plan().drops()).hasSize(1);
            assertThat(candidates.plan().drops().get(0).replica().topic()).isEqualTo("archive");
        } finally {
            cluster.startBroker(2);
            await("broker 2 is back").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
        }
    }

    /** The rule applied by hand to Kafka's own answer: partition -> safe for every replica on {@code broker}. */
    private static Map<String, Boolean> expectedVerdictsFromKafka(int broker) throws Exception {
        Set<Integer> live = new java.util.HashSet<>();
        for (Node n : admin.describeCluster().nodes().get()) {
            live.add(n.id());
        }
        Map<String, Boolean> expected = new TreeMap<>();
        for (TopicDescription t : describe().values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                if (p.replicas().stream().noneMatch(n -> n.id() == broker)) {
                    continue;
                }
                long others = p.isr().stream().filter(n -> n.id() != broker && live.contains(n.id())).count();
                expected.put(t.name() + "-" + p.partition(), others >= Math.max(1, MIN_ISR.get(t.name())));
            }
        }
        return expected;
    }

    private static PartitionState partition(ClusterSnapshot snapshot, String topic, int partition) {
        return snapshot.partitions().stream().filter(p -> p.partition().equals(new TopicPartition(topic, partition)))
                .findFirst().orElseThrow();
    }

    private static String reason(DropCandidates c, String partition) {
        return c.replicas().stream().filter(v -> v.partition().toString().equals(partition)).findFirst().orElseThrow().reason();
    }

    private static Map<String, Long> sizes(LogDirState dir) {
        Map<String, Long> sizes = new TreeMap<>();
        dir.replicas().forEach(r -> sizes.put(r.partition().toString(), r.bytes()));
        return sizes;
    }

    private static Map<String, TopicDescription> describe() throws Exception {
        return admin.describeTopics(List.of("archive", "strict", "single")).allTopicNames().get(10, TimeUnit.SECONDS);
    }

    private static void produce(Map<String, Integer> partitions, int perPartition) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Map<String, Integer> sent = new HashMap<>();
            for (var e : partitions.entrySet()) {
                for (int p = 0; p < e.getValue(); p++) {
                    for (int i = 0; i < perPartition; i++) {
                        producer.send(new ProducerRecord<>(e.getKey(), p, null, new byte[100 + p * 50]));
                    }
                    sent.merge(e.getKey(), perPartition, Integer::sum);
                }
            }
            producer.flush();
        }
    }
}
