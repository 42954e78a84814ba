package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.ballast.ArmGate;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.Trigger;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh install: a real broker (child process) whose log dir is on a small ext4 with no reserve.
 * The sidecar, with the default reserve.auto.arm, arms nothing while the broker is down and arms
 * the reserve one tier per pass once it runs, sized by the measured write rate (capped by
 * reserve.size); a released tier is not re-armed while the broker is down again.
 */
@Tag("broker")
class SidecarAutoArmTest {

    static final long MIB = 1024 * 1024;
    static final Pattern RECOMMENDED = Pattern.compile("^guardian_ballast_recommended_bytes\\{logdir=\"[^\"]*\"} (\\S+)$",
            Pattern.MULTILINE);

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aSidecarOnAFilesystemWithoutReserveArmsItOneTierPerPassOnlyWhileTheBrokerRuns() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).baseDir(tmp.resolve("cluster")).logDir(1, logDir)
                .property("log.segment.bytes", Long.toString(16 * MIB)).build().start()) {
            ChildBroker broker = cluster.broker(1);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            produce(cluster.bootstrapServers(), 2 * MIB);
            broker.stop();

            Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(Map.ofEntries(
                    Map.entry("broker.config", broker.serverProperties().toString()),
                    Map.entry("state.dir", tmp.resolve("state").toString()),
                    Map.entry("scan.interval.ms", "1000"),
                    Map.entry("forecast.min.span.ms", "0"),
                    Map.entry("reserve.size", "48M"),
                    Map.entry("reserve.tiers", "4"),
                    Map.entry("reserve.rearm.delay.ms", "0"),
                    Map.entry("recovery.outage.ms", "60000"),
                    Map.entry("recovery.margin.min.bytes", Long.toString(8 * MIB)),
                    // a 256 MiB disk is below the default byte floors: judge pressure by ratio only
                    Map.entry("pressure.warn.floor.bytes", "0"), Map.entry("pressure.high.floor.bytes", "0"),
                    Map.entry("pressure.critical.floor.bytes", "0"), Map.entry("pressure.warn.headroom.bytes", "0"),
                    Map.entry("pressure.high.headroom.bytes", "0"), Map.entry("pressure.critical.headroom.bytes", "0")))),
                    new GuardianMetrics(), Clock.systemUTC());
            try {
                // The broker is down (stopped cleanly): passes measure, but arm nothing.
                for (int pass = 0; pass < 5; pass++) {
                    pass(sidecar);
                }
                assertThat(sidecar.status().orElseThrow().observation().brokerState().name()).isEqualTo("STOPPED_CLEAN");
                assertThat(reserve(sidecar).tiersPlanned()).isZero();
                assertThat(sidecar.ballast().decisions().values()).extracting(ArmGate.Decision::reason)
                        .containsExactly("the broker is STOPPED_CLEAN: no arming while it is not running");
                assertThat(Files.exists(Path.of(reserve(sidecar).reserveDir()))).isFalse();

                broker.start().awaitStarted(Duration.ofSeconds(180));
                long availBefore = disk.filesystem().dfAvailableBytes();
                List<Integer> armedPerPass = new ArrayList<>();
                Long recommendedAtFirstArm = null;
                for (int pass = 0; pass < 10 && reserve(sidecar).tiersArmed() < 4; pass++) {
                    pass(sidecar);
                    armedPerPass.add(reserve(sidecar).tiersArmed());
                    if (recommendedAtFirstArm == null && reserve(sidecar).tiersArmed() == 1) {
                        recommendedAtFirstArm = recommended(sidecar.metrics().scrape()).orElse(null);
                    }
                }
                System.out.printf("armed tiers after each running pass: %s; recommended at the first arm: %s%n",
                        armedPerPass, recommendedAtFirstArm);
                ReserveView armed = reserve(sidecar);
                assertThat(armed.state()).isEqualTo("armed");
                assertThat(armedPerPass).as("gentle: no tier before the third running pass, then one per pass")
                        .startsWith(0, 0, 1, 2, 3, 4);
                assertThat(recommendedAtFirstArm).as("the write rate was measured while the broker was down").isNotNull();
                long expected = Math.min(48 * MIB, recommendedAtFirstArm);
                assertThat((double) armed.armedBytes()).as("sized by the recommendation, capped by reserve.size")
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(4096.0 * 4));
                assertThat(availBefore - disk.filesystem().dfAvailableBytes())
                        .as("real blocks: df sees them").isGreaterThanOrEqualTo((long) (armed.armedBytes() * 0.9));

                // Down again (kill -9) with a tier released: no re-arm while the broker is not running.
                broker.kill();
                sidecar.ballast().release(Optional.empty(), ReleaseRequest.tiers(1), Trigger.MANUAL, "test");
                for (int pass = 0; pass < 5; pass++) {
                    pass(sidecar);
                }
                assertThat(reserve(sidecar).tiersArmed()).isLessThanOrEqualTo(3);
                assertThat(sidecar.ballast().decisions().values()).extracting(ArmGate.Decision::reason)
                        .containsExactly("the broker is STOPPED_UNCLEAN: no arming while it is not running");
            } finally {
                sidecar.close();
            }
        }
    }

    /** One pass, spaced so that the write rate has a time span to be measured over. */
    private static void pass(Sidecar sidecar) throws InterruptedException {
        sidecar.runPass();
        Thread.sleep(300);
    }

    private static ReserveView reserve(Sidecar sidecar) {
        return sidecar.ballast().latest().get(0);
    }

    private static Optional<Long> recommended(String scrape) {
        Matcher m = RECOMMENDED.matcher(scrape);
        return m.find() ? Optional.of((long) Double.parseDouble(m.group(1))) : Optional.empty();
    }

    private static void produce(String bootstrap, long bytes) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        byte[] value = new byte[16 * 1024];
        new java.util.Random(3).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long sent = 0; sent < bytes; sent += value.length) {
                producer.send(new ProducerRecord<>("archive", value));
            }
            producer.flush();
        }
    }
}
