import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.clusterview.BrokerView;
import io.archiveguardian.guardian.clusterview.ClusterPublisher;
import io.archiveguardian.guardian.clusterview.ClusterTopics;
import io.archiveguardian.guardian.clusterview.ClusterTopology;
import io.archiveguardian.guardian.clusterview.DetectorSettings;
import io.archiveguardian.guardian.clusterview.Heartbeat;
import io.archiveguardian.guardian.demo.EmbeddedBroker;
import io.archiveguardian.guardian.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The cluster view under the load of a large cluster: BROKERS simulated sidecars heartbeat every
 * INTERVAL (staggered evenly) through a real single-node KRaft broker (the demo's embedded broker)
 * into the real topology (ClusterTopology.build, the sidecar's Streams settings, one instance).
 *
 * <ol>
 *   <li>Latency: for SECONDS, every 100 ms the view's store (cluster-brokers) is read; when a broker's
 *       entry shows a newer heartbeat, heartbeat-to-view latency = now - its sent_at (same JVM clock).
 *       Resolution: the 100 ms poll.</li>
 *   <li>Throughput: BURST heartbeats (BROKERS x BURST/BROKERS sequences) produced as fast as the producer
 *       goes; time from the first send until the view shows every broker's last one.</li>
 * </ol>
 * Usage: ClusterViewBench [brokers=1000] [intervalMs=10000] [seconds=180] [burst=200000]
 */
public final class ClusterViewBench {

    public static void main(String[] args) throws Exception {
        int brokers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 180;
        int burst = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        Path dir = Files.createTempDirectory("guardian-cluster-view-bench");
        ClusterTopics topics = new ClusterTopics("__guardian_heartbeats", "__guardian_events", "__guardian_placement",
                86_400_000L);
        DetectorSettings detector = new DetectorSettings(Duration.ofMillis(intervalMs),
                DetectorSettings.defaultTimeout(Duration.ofMillis(intervalMs)), 0.4);
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"))) {
            try (Admin admin = AdminClients.create(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(60))) {
                topics.ensure(admin, Duration.ofSeconds(60));
            }
            StreamsBuilder builder = new StreamsBuilder();
            ClusterTopology.build(builder, new ClusterTopology.Topics(topics.heartbeats(), topics.placement()), detector);
            Map<String, Object> p = new HashMap<>();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "guardian-cluster-view-bench");
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:1");
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
            p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024 * 1024L);
            KafkaStreams streams = new KafkaStreams(builder.build(), new StreamsConfig(p));
            streams.start();
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException("Streams did not reach RUNNING: " + streams.state());
            }
            // The sidecar's producer settings, with room for a thousand sidecars' worth of records in one client.
            Map<String, Object> producerProps = new HashMap<>(
                    ClusterPublisher.producerProperties(Map.of("bootstrap.servers", broker.bootstrapServers())));
            producerProps.put("buffer.memory", 64L << 20);
            producerProps.put("max.block.ms", 120_000);
            producerProps.put("delivery.timeout.ms", 300_000);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
                latency(streams, producer, topics, brokers, intervalMs, seconds);
                throughput(streams, producer, topics, brokers, burst);
            } finally {
                streams.close(Duration.ofSeconds(10));
            }
        }
    }

    static final Instant STARTED = Instant.now();

    static Heartbeat heartbeat(int broker, long sequence, long intervalMs) {
        Instant now = Instant.now();
        return new Heartbeat(broker, "host-" + broker, "RUNNING", "bench", now, now, intervalMs, STARTED, sequence,
                List.of(new Heartbeat.Disk("/data", List.of("/data/kafka"), broker % 10 == 0 ? "high" : "ok",
                        500L << 30, 450L << 30, 20L << 30, 20L << 30, 70L << 30)));
    }

    static void send(KafkaProducer<String, byte[]> producer, ClusterTopics topics, Heartbeat h) {
        producer.send(new ProducerRecord<>(topics.heartbeats(), Integer.toString(h.brokerId()),
                Json.write(h).getBytes(StandardCharsets.UTF_8)));
    }

    static ReadOnlyKeyValueStore<String, BrokerView> view(KafkaStreams streams) {
        return streams.store(StoreQueryParameters.fromNameAndType(ClusterTopology.CLUSTER_STORE,
                QueryableStoreTypes.<String, BrokerView>keyValueStore()));
    }

    static void latency(KafkaStreams streams, KafkaProducer<String, byte[]> producer, ClusterTopics topics, int brokers,
                        long intervalMs, int seconds) throws Exception {
        long[] lastSeen = new long[brokers];
        Arrays.fill(lastSeen, -1);
        List<Long> latencies = new ArrayList<>();
        double tickMs = (double) intervalMs / brokers;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Thread sender = new Thread(() -> {
            long tick = 0;
            while (System.nanoTime() < end) {
                long due = start + (long) (tick * tickMs * 1_000_000);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                send(producer, topics, heartbeat((int) (tick % brokers), tick / brokers, intervalMs));
                tick++;
            }
        }, "bench-sender");
        sender.start();
        long polls = 0;
        long pollNanos = 0;
        while (System.nanoTime() < end + TimeUnit.MILLISECONDS.toNanos(2 * intervalMs)) {
            long t = System.nanoTime();
            Instant now = Instant.now();
            try (KeyValueIterator<String, BrokerView> it = view(streams).all()) {
                while (it.hasNext()) {
                    BrokerView v = it.next().value;
                    if (v.heartbeat() != null && v.heartbeat().sequence() > lastSeen[v.brokerId()]) {
                        lastSeen[v.brokerId()] = v.heartbeat().sequence();
                        if (System.nanoTime() < end) {
                            latencies.add(Duration.between(v.heartbeat().sentAt(), now).toMillis());
                        }
                    }
                }
            }
            polls++;
            pollNanos += System.nanoTime() - t;
            Thread.sleep(100);
        }
        sender.join();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "latency: %d brokers, one heartbeat each every %d ms, %d s: %d heartbeats seen%n",
                brokers, intervalMs, seconds, sorted.length);
        if (sorted.length > 0) {
            System.out.printf(Locale.ROOT, "heartbeat-to-view latency  median %d ms, p99 %d ms, max %d ms (goal <= 2 intervals = %d ms; "
                    + "poll resolution 100 ms)%n", pct(sorted, 50), pct(sorted, 99), sorted[sorted.length - 1], 2 * intervalMs);
        }
        System.out.printf(Locale.ROOT, "view read (%d brokers from the store) %.1f ms on average over %d polls%n", brokers,
                pollNanos / 1e6 / polls, polls);
    }

    static void throughput(KafkaStreams streams, KafkaProducer<String, byte[]> producer, ClusterTopics topics, int brokers,
                           int burst) throws Exception {
        int rounds = Math.max(1, burst / brokers);
        long base = 1_000_000;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < brokers; b++) {
                send(producer, topics, heartbeat(b, base + r, 10_000));
            }
        }
        producer.flush();
        long produced = System.nanoTime();
        long last = base + rounds - 1;
        long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            int done = 0;
            try (KeyValueIterator<String, BrokerView> it = view(streams).all()) {
                while (it.hasNext()) {
                    BrokerView v = it.next().value;
                    if (v.heartbeat() != null && v.heartbeat().sequence() == last) {
                        done++;
                    }
                }
            }
            if (done == brokers) {
                break;
            }
            Thread.sleep(50);
        }
        long t1 = System.nanoTime();
        double secs = (t1 - t0) / 1e9;
        System.out.printf(Locale.ROOT, "throughput: %d heartbeats produced in %.1f s; the view had all of them after %.1f s: "
                + "%.0f heartbeats/s through both stages (BrokerWatch, repartition, cluster aggregate)%n",
                (long) rounds * brokers, (produced - t0) / 1e9, secs, rounds * brokers / secs);
    }

    static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
