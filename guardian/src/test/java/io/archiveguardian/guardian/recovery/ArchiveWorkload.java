package io.archiveguardian.guardian.recovery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes incompressible records with acks=all and remembers every acknowledged offset, then
 * reads a topic back from the start and reports which acknowledged offsets are missing.
 *
 * <p>The producer is not idempotent. The workload writes through a kill -9 of a partition leader,
 * and an idempotent producer can then retry one batch forever with OUT_OF_ORDER_SEQUENCE_NUMBER
 * (a batch that failed with NOT_LEADER_OR_FOLLOWER while the next one succeeded on the new
 * leader, KAFKA-14359): seen in CI, where the produce expired after 120 s with every partition
 * led and fully in sync. What the tests check is that no acknowledged offset is lost; a retried
 * batch written twice adds offsets and changes nothing in that check.
 */
final class ArchiveWorkload {

    private final String topic;
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> acknowledged = new ConcurrentHashMap<>();
    private final Random random = new Random(42);

    ArchiveWorkload(String topic) {
        this.topic = topic;
    }

    /** Produces {@code bytes} of records of {@code recordBytes} each; returns once all are acknowledged. */
    void produce(String bootstrap, long bytes, int recordBytes) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long records = bytes / recordBytes;
            List<Future<RecordMetadata>> pending = new java.util.ArrayList<>();
            for (long i = 0; i < records; i++) {
                byte[] value = new byte[recordBytes];
                random.nextBytes(value);
                pending.add(producer.send(new ProducerRecord<>(topic, value)));
                if (pending.size() >= 2000) {
                    drain(pending);
                }
            }
            drain(pending);
        } catch (ExecutionException e) {
            throw new AssertionError("producing to " + topic + " via " + bootstrap + " failed; the topic then: "
                    + describe(bootstrap), e);
        }
    }

    /**
     * Produces at about {@code bytesPerSecond} (a batch every 100 ms) until {@code stop} says so, the
     * time runs out or a send fails (the broker stopped or halted); every acknowledged offset is kept.
     * Returns the first send failure, if any.
     */
    java.util.Optional<Exception> produceAtRate(String bootstrap, long bytesPerSecond, int recordBytes, Duration max,
                                                java.util.function.BooleanSupplier stop) throws InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long perTick = Math.max(1, bytesPerSecond / 10 / recordBytes);
        long deadline = System.nanoTime() + max.toNanos();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long next = System.nanoTime();
            while (failure.get() == null && !stop.getAsBoolean() && System.nanoTime() < deadline) {
                for (long i = 0; i < perTick && failure.get() == null; i++) {
                    byte[] value = new byte[recordBytes];
                    random.nextBytes(value);
                    try {
                        producer.send(new ProducerRecord<>(topic, value), (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                acknowledged.computeIfAbsent(new TopicPartition(m.topic(), m.partition()),
                                        k -> new ConcurrentSkipListSet<>()).add(m.offset());
                            }
                        });
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }
                next += 100_000_000L;
                long sleep = (next - System.nanoTime()) / 1_000_000L;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            producer.close(Duration.ofSeconds(20));
        }
        return java.util.Optional.ofNullable(failure.get());
    }

    /** The leader and ISR of every partition, for a failure message: why a produce could not finish. */
    private String describe(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .stream().map(io.archiveguardian.testsupport.ChildBrokerCluster::describe).collect(Collectors.joining("; "));
        } catch (Exception e) {
            return "(could not describe: " + e + ")";
        }
    }

    private void drain(List<Future<RecordMetadata>> pending) throws Exception {
        for (Future<RecordMetadata> f : pending) {
            RecordMetadata m = f.get();
            acknowledged.computeIfAbsent(new TopicPartition(m.topic(), m.partition()), k -> new ConcurrentSkipListSet<>()).add(m.offset());
        }
        pending.clear();
    }

    long acknowledgedCount() {
        return acknowledged.values().stream().mapToLong(java.util.Set::size).sum();
    }

    /** Reads every partition from the start and returns the acknowledged offsets not found, per partition. */
    Map<TopicPartition, Long> missingAfterReadingBack(String bootstrap, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        Map<TopicPartition, java.util.Set<Long>> seen = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(acknowledged.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !allSeen(seen)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new java.util.HashSet<>()).add(r.offset());
                }
            }
        }
        Map<TopicPartition, Long> missing = new HashMap<>();
        acknowledged.forEach((tp, offsets) -> {
            java.util.Set<Long> got = seen.getOrDefault(tp, java.util.Set.of());
            long count = offsets.stream().filter(o -> !got.contains(o)).count();
            if (count > 0) {
                missing.put(tp, count);
            }
        });
        return missing;
    }

    private boolean allSeen(Map<TopicPartition, java.util.Set<Long>> seen) {
        return acknowledged.entrySet().stream().allMatch(e -> seen.getOrDefault(e.getKey(), java.util.Set.of()).containsAll(e.getValue()));
    }
}
