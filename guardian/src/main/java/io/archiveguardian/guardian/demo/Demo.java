package io.archiveguardian.guardian.demo;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Trigger;
import java.util.Optional;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code guardian demo}: an in-process single-node broker, an archive topic with infinite
 * retention written by a producer, and the sidecar attached to the broker's log dir.
 */
public final class Demo implements AutoCloseable {

    public static final String TOPIC = "archive-demo";
    static final int RECORDS_PER_SECOND = 50;
    static final int RECORD_BYTES = 2048;

    private final EmbeddedBroker broker;
    private final DemoProducer producer;
    private final SidecarServer sidecar;

    private final String ballastNote;

    private Demo(EmbeddedBroker broker, DemoProducer producer, SidecarServer sidecar, String ballastNote) {
        this.broker = broker;
        this.producer = producer;
        this.sidecar = sidecar;
        this.ballastNote = ballastNote;
    }

    /** A small ballast next to the demo's log dir, so the ballast metrics and commands have something to show. */
    private static String armBallast(GuardianSettings settings) {
        try {
            BallastService service = BallastService.create(settings, "guardian demo", ReserveObserver.NONE);
            service.arm(Optional.empty(), service.settings(), Trigger.MANUAL, "guardian demo");
            return "64 MiB in 4 tiers";
        } catch (RuntimeException e) {
            return "not armed (" + e.getMessage() + ")";
        }
    }

    public static Demo start(java.nio.file.Path dataDir, String httpListen) {
        GuardianConfig.of(Map.of(GuardianConfig.HTTP_LISTEN, httpListen)); // bad --http-listen fails before anything starts
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir);
        DemoProducer producer = null;
        try {
            createArchiveTopic(broker.bootstrapServers());
            producer = new DemoProducer(broker.bootstrapServers(), TOPIC, RECORDS_PER_SECOND, RECORD_BYTES);
            GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                    GuardianConfig.BROKER_CONFIG, broker.serverProperties().toString(),
                    GuardianConfig.HTTP_LISTEN, httpListen,
                    GuardianConfig.SCAN_INTERVAL_MS, "5000",
                    GuardianConfig.STATE_DIR, dataDir.resolve("guardian-state").toString(),
                    GuardianConfig.RECOVERY_MARGIN_MIN_BYTES, Long.toString(64L * 1024 * 1024),
                    GuardianConfig.RESERVE_SIZE, "64M",
                    GuardianConfig.RESERVE_TIERS, "4",
                    GuardianConfig.RETENTION_TOPICS, TOPIC)));
            String ballastNote = armBallast(settings);
            return new Demo(broker, producer, SidecarServer.start(settings), ballastNote);
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close();
            }
            broker.close();
            throw e;
        }
    }

    private static void createArchiveTopic(String bootstrap) {
        Duration timeout = Duration.ofSeconds(60);
        try (Admin admin = AdminClients.create(bootstrap, Map.of(), timeout)) {
            NewTopic topic = new NewTopic(TOPIC, 3, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1"));
            new AdminCalls(timeout, "").awaitUnless(admin.createTopics(List.of(topic)).all(),
                    "create the demo topic '" + TOPIC + "'", TopicExistsException.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardianException(ExitCodes.FAILED, "interrupted while creating the demo topic", e);
        }
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    public SidecarServer sidecar() {
        return sidecar;
    }

    public long acknowledgedRecords() {
        return producer.acknowledged();
    }

    /** What to tell the user once everything runs. */
    public String banner() {
        String url = sidecar.baseUrl();
        return String.join(System.lineSeparator(),
                "Kafka Archive Guardian demo is running.",
                "  Kafka broker   " + broker.bootstrapServers() + "  (data in " + broker.dataDir() + ")",
                "  Archive topic  " + TOPIC + " (retention.ms=-1, retention.bytes=-1), ~"
                        + Sizes.human(RECORDS_PER_SECOND * RECORD_BYTES) + "/s written",
                "  Status page    " + url + "/",
                "  Metrics        " + url + "/metrics",
                "  Status API     " + url + "/api/v1/status",
                "  Cluster view   " + url + "/api/v1/cluster  (or: guardian cluster --sidecar " + url + ")",
                "  Ballast        " + ballastNote + "; try: guardian ballast release --broker-config "
                        + broker.serverProperties() + " --tiers 1 --reason demo",
                "  CLI            guardian status --broker-config " + broker.serverProperties(),
                "Press Ctrl-C to stop.");
    }

    @Override
    public void close() {
        sidecar.close();
        producer.close();
        broker.close();
    }

    static Duration shutdownTimeout() {
        return Duration.ofSeconds(30);
    }
}
