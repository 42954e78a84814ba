package io.archiveguardian.guardian.clusterview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.InProcessCluster;
import io.archiveguardian.testsupport.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ClusterPublisherTest {

    static final ClusterTopics TOPICS = new ClusterTopics("__guardian_heartbeats", "__guardian_events",
            "__guardian_placement", 7 * 86_400_000L);

    @Test
    void aDeadClusterDropsAndCountsHeartbeatsAndNeverHoldsUpTheCaller() throws Exception {
        String dead = "127.0.0.1:" + Ports.free();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Admin admin = AdminClients.create(dead, Map.of(), Duration.ofSeconds(2))) {
            ClusterPublisher publisher = new ClusterPublisher(Map.of("bootstrap.servers", dead),
                    () -> Optional.of(admin), TOPICS, Duration.ofSeconds(2), registry);
            try {
                long worstNanos = 0;
                for (int i = 0; i < 1_000; i++) {
                    long t = System.nanoTime();
                    publisher.offer(heartbeat(i));
                    worstNanos = Math.max(worstNanos, System.nanoTime() - t);
                }
                assertThat(Duration.ofNanos(worstNanos)).as("slowest offer").isLessThan(Duration.ofMillis(200));
                assertThat(publisher.heartbeatsDropped()).as("dropped at once: the queue holds %d",
                        ClusterPublisher.QUEUE_CAPACITY).isGreaterThanOrEqualTo(1_000 - ClusterPublisher.QUEUE_CAPACITY - 1);
                await().atMost(Duration.ofMinutes(1)).until(() -> publisher.heartbeatsDropped() == 1_000);
                assertThat(registry.get("guardian.heartbeats.dropped").counter().count()).isEqualTo(1_000);
            } finally {
                long t = System.nanoTime();
                publisher.close(Duration.ofSeconds(3));
                assertThat(Duration.ofNanos(System.nanoTime() - t)).as("close").isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    @Tag("broker")
    void createsTheTopicsOnFirstUseAndDeliversHeartbeatsAndEvents() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(1); Admin admin = cluster.admin()) {
            ClusterPublisher publisher = new ClusterPublisher(Map.of("bootstrap.servers", cluster.bootstrapServers()),
                    () -> Optional.of(admin), TOPICS, Duration.ofSeconds(15), new SimpleMeterRegistry());
            try {
                await().atMost(Duration.ofMinutes(1)).until(() -> {
                    publisher.offer(heartbeat(0));
                    return publisher.topicsReady();
                });
                publisher.offer(heartbeat(1));
                publisher.offer(List.of(new StateChangeEvent(Instant.parse("2026-11-30T10:00:00Z"), "host-7", 7,
                        "disk:/data", "ok", "high", "used 91%")));

                Map<String, TopicDescription> topics = admin.describeTopics(TOPICS.names()).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertThat(topics.values()).allSatisfy(t -> {
                    assertThat(t.partitions()).hasSize(ClusterTopics.PARTITIONS);
                    assertThat(t.partitions().get(0).replicas()).hasSize(1);   // min(3, 1 broker)
                });
                Map<ConfigResource, Config> configs = admin.describeConfigs(TOPICS.names().stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
                assertThat(configs.get(topic("__guardian_heartbeats")).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(configs.get(topic("__guardian_placement")).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(configs.get(topic("__guardian_events")).get("cleanup.policy").value()).isEqualTo("delete");
                assertThat(configs.get(topic("__guardian_events")).get("retention.ms").value()).isEqualTo("604800000");

                List<ConsumerRecord<String, byte[]>> heartbeats = consume(cluster, "__guardian_heartbeats", 1);
                assertThat(heartbeats).last().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("7");
                    Heartbeat h = new JsonSerde<>(Heartbeat.class).deserializer().deserialize("t", r.value());
                    assertThat(h).isEqualTo(heartbeat(h.sequence()));
                });
                List<ConsumerRecord<String, byte[]>> events = consume(cluster, "__guardian_events", 1);
                assertThat(new String(events.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(
                        "{\"time\":\"2026-11-30T10:00:00Z\",\"host\":\"host-7\",\"broker\":7,\"subject\":\"disk:/data\","
                                + "\"previous_state\":\"ok\",\"state\":\"high\",\"detail\":\"used 91%\"}");
                assertThat(publisher.heartbeatsDropped()).isZero();
            } finally {
                publisher.close(Duration.ofSeconds(3));
            }
        }
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static List<ConsumerRecord<String, byte[]>> consume(InProcessCluster cluster, String topic, int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "test-" + topic),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                return out.size() >= atLeast;
            });
        }
        return out;
    }

    static Heartbeat heartbeat(long sequence) {
        Instant t = Instant.parse("2026-11-30T10:00:00Z").plusSeconds(sequence * 10);
        return new Heartbeat(7, "host-7", "RUNNING", "0.1.0", t, t, 10_000, Instant.parse("2026-11-30T09:00:00Z"),
                sequence, List.of(new Heartbeat.Disk("/data", List.of("/data/kafka"), "high", 5_000, 4_000, 1_000,
                2_000, 2_000)));
    }

    static String json(Object o) {
        return Json.write(o);
    }
}
