package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.cluster.RetryLog;

import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends heartbeats, events and placement to Kafka without ever holding up the pass: the pass only
 * {@code offer}s to a small bounded queue; one sender thread of its own creates the topics on first
 * use, creates the producer and sends. A full queue, an unreachable cluster or a failed send drops
 * the record and counts it ({@code guardian_heartbeats_dropped_total}, {@code
 * guardian_cluster_records_dropped_total{topic}}); the next pass sends a fresh heartbeat anyway.
 */
public final class ClusterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPublisher.class);
    private final RetryLog retries = new RetryLog(LOG, "cluster view: publishing heartbeats and events");
    static final int QUEUE_CAPACITY = 64;
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final Map<String, Object> producerProperties;
    private final Supplier<Optional<Admin>> admin;
    private final ClusterTopics topics;
    private final Duration adminTimeout;
    private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Counter heartbeatsDropped;
    private final Counter eventsDropped;
    private final Counter placementDropped;
    private volatile boolean running = true;
    private volatile boolean topicsReady;
    private long lastFailure;
    private Producer<String, byte[]> producer;
    private final Thread sender;

    private enum Kind { HEARTBEAT, EVENT, PLACEMENT }

    private record Outgoing(Kind kind, String topic, String key, byte[] value) {
    }

    /**
     * @param clientProperties bootstrap.servers and the --command-config properties (security)
     * @param admin            the sidecar's Admin client, for creating the topics on first use
     */
    public ClusterPublisher(Map<String, ?> clientProperties, Supplier<Optional<Admin>> admin, ClusterTopics topics,
                            Duration adminTimeout, MeterRegistry registry) {
        this.producerProperties = producerProperties(clientProperties);
        this.admin = admin;
        this.topics = topics;
        this.adminTimeout = adminTimeout;
        this.heartbeatsDropped = Counter.builder("guardian.heartbeats.dropped")
                .description("Heartbeats not delivered to Kafka (queue full, cluster unreachable, send failed).")
                .register(registry);
        this.eventsDropped = dropped(registry, "events");
        this.placementDropped = dropped(registry, "placement");
        this.sender = io.archiveguardian.guardian.duty.Daemons.named("guardian-cluster-publisher").newThread(this::sendLoop);
        this.sender.start();
    }

    private static Counter dropped(MeterRegistry registry, String topic) {
        return Counter.builder("guardian.cluster.records.dropped").tag("topic", topic)
                .description("Events and placement records not delivered to Kafka (queue full, cluster unreachable, send failed).")
                .register(registry);
    }

    /** The producer settings of the sidecar's publisher (bounded blocking and buffer), over these client properties. */
    public static Map<String, Object> producerProperties(Map<String, ?> clientProperties) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "archive-guardian-cluster-view");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 1024 * 1024L);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Never blocks: false (and counted) when the queue is full. */
    public boolean offer(Heartbeat heartbeat) {
        return offer(new Outgoing(Kind.HEARTBEAT, topics.heartbeats(), Integer.toString(heartbeat.brokerId()),
                bytes(heartbeat)));
    }

    public void offer(Placement placement) {
        offer(new Outgoing(Kind.PLACEMENT, topics.placement(), Integer.toString(placement.brokerId()), bytes(placement)));
    }

    public void offer(List<StateChangeEvent> events) {
        for (StateChangeEvent e : events) {
            offer(new Outgoing(Kind.EVENT, topics.events(), e.broker() == null ? e.host() : e.broker().toString(), bytes(e)));
        }
    }

    private static byte[] bytes(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    private boolean offer(Outgoing o) {
        if (running && queue.offer(o)) {
            return true;
        }
        drop(o, "the send queue is full");
        return false;
    }

    private void drop(Outgoing o, String why) {
        switch (o.kind()) {
            case HEARTBEAT -> heartbeatsDropped.increment();
            case EVENT -> eventsDropped.increment();
            case PLACEMENT -> placementDropped.increment();
        }
        LOG.debug("dropped a {} record for {}: {}", o.kind(), o.topic(), why);
    }

    public double heartbeatsDropped() {
        return heartbeatsDropped.count();
    }

    /** True once the topics exist (or were created by this publisher). */
    public boolean topicsReady() {
        return topicsReady;
    }

    private void sendLoop() {
        while (running) {
            Outgoing o;
            try {
                o = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (o == null) {
                continue;
            }
            if (!ready()) {
                drop(o, "the cluster is not reachable");
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(o.topic(), o.key(), o.value()), (metadata, error) -> {
                    if (error != null) {
                        drop(o, error.toString());
                    }
                });
            } catch (RuntimeException e) {
                drop(o, e.toString());
            }
        }
    }

    /** Topics and producer, created on first use; after a failure, retried at most every 5 s. */
    private boolean ready() {
        if (topicsReady && producer != null) {
            return true;
        }
        long now = System.nanoTime();
        if (lastFailure != 0 && now - lastFailure < RETRY_AFTER_FAILURE.toNanos()) {
            return false;
        }
        try {
            if (!topicsReady) {
                Optional<Admin> a = admin.get();
                if (a.isEmpty()) {
                    return false;
                }
                topics.ensure(a.get(), adminTimeout);
                topicsReady = true;
            }
            if (producer == null) {
                producer = new KafkaProducer<>(producerProperties);
            }
            retries.succeeded();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (Exception e) {
            lastFailure = now;
            retries.failed(e, "cluster view: cannot reach Kafka to publish heartbeats and events (" + e + ")");
            return false;
        }
    }

    /** Stops the sender and closes the producer within {@code timeout}; undelivered records are dropped. */
    public void close(Duration timeout) {
        running = false;
        sender.interrupt();
        try {
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Producer<String, byte[]> p = producer;
        if (p != null) {
            p.close(timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
