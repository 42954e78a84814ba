package io.archiveguardian.guardian.demo;

import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes incompressible records into the demo's archive topic at a modest, steady rate. */
final class DemoProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoProducer.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile boolean running = true;

    DemoProducer(String bootstrapServers, String topic, int recordsPerSecond, int recordBytes) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        thread = new Thread(() -> produce(topic, recordsPerSecond, recordBytes), "guardian-demo-producer");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce(String topic, int recordsPerSecond, int recordBytes) {
        Random random = new Random();
        long intervalNanos = 1_000_000_000L / recordsPerSecond;
        long next = System.nanoTime();
        while (running) {
            byte[] value = new byte[recordBytes];
            random.nextBytes(value);
            try {
                producer.send(new ProducerRecord<>(topic, value), (meta, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("demo producer: {}", e.toString());
                }
            }
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
