package io.archiveguardian.guardian.logdir;

import static io.archiveguardian.guardian.logdir.SyntheticLogDir.du;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scanner against a real broker's log dir while a producer writes to it. The scanner's total
 * is every file and directory under the log dir, which is exactly the set {@code du -s} counts
 * (no hard links, no mounts inside), so apparent total is compared with {@code du --apparent-size}
 * and allocated total with {@code du}. The log is written between the measurements, hence 1%.
 */
@Tag("broker")
class LogDirScannerBrokerTest {

    private static final int RECORD_BYTES = 1000;

    @Test
    void totalsOfALiveBrokersLogDirAgreeWithDuWithinOnePercentWhileAProducerWrites() throws Exception {
        TestEnvironment.requireProgram("du");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).build().start();
             Admin admin = cluster.admin()) {
            Path logDir = cluster.broker(1).logDirs().get(0);
            admin.createTopics(List.of(new NewTopic("archive", 3, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread producer = new Thread(() -> produce(cluster.bootstrapServers(), stop, sent, failure), "producer");
            producer.start();
            LogDirScanner scanner = new LogDirScanner();
            try {
                await("20 MB written").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> scanner.scan(logDir).totals().log().apparentBytes() > 20_000_000L);
                assertThat(sent.get()).isPositive();

                // scan, du, scan again: the log grows in between, so du must lie between the two scans
                // (within 1%), and the two scans must themselves be within 1% of du
                LogDirScan full = scanner.scan(logDir);
                long duApparent = du(true, logDir);
                long duAllocated = du(false, logDir);
                LogDirScan incremental = scanner.rescan(full);

                assertThat(full.error()).isEmpty();
                assertThat(full.allocatedKnown()).isTrue();
                assertThat(incremental.work().mode()).isEqualTo(ScanWork.Mode.INCREMENTAL);
                assertBetweenWithinOnePercent(duApparent, full.totals().total().apparentBytes(),
                        incremental.totals().total().apparentBytes());
                assertBetweenWithinOnePercent(duAllocated, full.totals().total().allocatedBytes(),
                        incremental.totals().total().allocatedBytes());

                assertThat(full.partitions()).extracting(p -> p.name().name())
                        .contains("archive-0", "archive-1", "archive-2", "__cluster_metadata-0");
                assertThat(full.partition("__cluster_metadata-0").orElseThrow().kind()).isEqualTo(PartitionKind.METADATA);
                PartitionScan archive0 = full.partition("archive-0").orElseThrow();
                // Kafka preallocates the active segment's indexes sparsely: 10 MiB apparent, little allocated
                assertThat(archive0.active().offsetIndex().apparentBytes()).isEqualTo(10L * 1024 * 1024);
                assertThat(archive0.active().offsetIndex().allocatedBytes()).isLessThan(1024L * 1024);
                assertThat(full.totals().log().apparentBytes()).isGreaterThan(sent.get() * RECORD_BYTES / 2);

                // the broker's own view: describeLogDirs sizes are .log bytes only
                Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions()
                        .get(30, TimeUnit.SECONDS).get(1);
                LogDirScan again = scanner.rescan(incremental);
                long brokerView = dirs.get(logDir.toString()).replicaInfos().entrySet().stream()
                        .filter(e -> e.getKey().topic().equals("archive")).mapToLong(e -> e.getValue().size()).sum();
                long ours = again.partitions().stream().filter(p -> p.name().topic().equals("archive"))
                        .mapToLong(p -> p.log().apparentBytes()).sum();
                assertThat((double) ours).isCloseTo(brokerView, within(brokerView * 0.02));
            } finally {
                stop.set(true);
                producer.join(30_000);
            }
            assertThat(failure.get()).isNull();
        }
    }

    private static void assertBetweenWithinOnePercent(long du, long before, long after) {
        assertThat((double) du).isBetween(before * 0.99, after * 1.01);
        assertThat((double) before).isCloseTo(du, within(du * 0.01));
        assertThat((double) after).isCloseTo(du, within(du * 0.01));
    }

    private static void produce(String bootstrap, AtomicBoolean stop, AtomicLong sent, AtomicReference<Throwable> failure) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        byte[] value = new byte[RECORD_BYTES];
        new java.util.Random(42).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (!stop.get()) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("archive", i % 3, null, value));
                }
                sent.addAndGet(100);
                Thread.sleep(50); // about 2 MB/s: leaves CPU for the broker and the scans
            }
            producer.flush();
        } catch (Throwable t) {
            failure.set(t);
        }
    }
}
