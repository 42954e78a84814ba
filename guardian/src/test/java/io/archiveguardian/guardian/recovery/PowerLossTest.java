package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-cluster power loss (issue "Whole-cluster incidents", item 1): three brokers, each on its own
 * small disk with a sidecar that measured the write rate; every broker and every sidecar dies at
 * once; the cluster stays dark; then every host runs prestart as systemd would. Nothing was written
 * while all were down, so the recorded rate times the time down is a catch-up nobody could have
 * written: it is reported, and no prestart refuses the start for it. Every broker comes back and
 * every acknowledged record reads back.
 */
@Tag("broker")
class PowerLossTest {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";
    static final Duration DARK = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void afterAWholeClusterPowerLossEveryPrestartLetsItsBrokerStart() throws Exception {
        List<SmallFilesystem> disks = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                disks.add(SmallFilesystem.mount(SmallFilesystem.Type.EXT4, 128 * MIB));
            }
            ChildBrokerCluster.Builder builder = ChildBrokerCluster.builder(3).property("log.segment.bytes", Long.toString(8 * MIB));
            for (int id = 1; id <= 3; id++) {
                builder.logDir(id, disks.get(id - 1).root().resolve("kafka-logs"));
            }
            try (ChildBrokerCluster cluster = builder.build().start()) {
                try (Admin admin = cluster.admin()) {
                    admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2",
                            "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
                }
                ArchiveWorkload workload = new ArchiveWorkload(TOPIC);
                List<Path> configs = new ArrayList<>();
                List<SidecarServer> sidecars = new ArrayList<>();
                for (int id = 1; id <= 3; id++) {
                    Path config = config(cluster, id);
                    configs.add(config);
                    sidecars.add(SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, Map.of()))));
                }
                // About 1 MiB/s for 70 s: the sidecars measure the rate and write it to their growth records.
                workload.produceAtRate(cluster.bootstrapServers(), MIB, 16 * 1024, Duration.ofSeconds(70), () -> false);
                for (int id = 1; id <= 3; id++) {
                    Path record = tmp.resolve("state-" + id).resolve(GrowthRecord.FILE);
                    JsonNode growth = Json.MAPPER.readTree(Files.readString(record));
                    assertThat(growth.findValues("write_bytes_per_second")).as("broker %d's sidecar recorded a write rate: %s", id, growth)
                            .anySatisfy(v -> assertThat(v.asDouble()).isPositive());
                }

                // The power cut: every sidecar and every broker (the controllers with them) at once.
                sidecars.forEach(SidecarServer::close);
                cluster.brokers().forEach(ChildBroker::kill);
                Thread.sleep(DARK.toMillis());

                for (int id = 1; id <= 3; id++) {
                    CliRun prestart = CliRun.of("prestart", "--config", configs.get(id - 1).toString(), "--output", "json");
                    System.out.printf("prestart on host %d after %d s dark: exit %d%n%s%n", id, DARK.toSeconds(),
                            prestart.exitCode(), prestart.out());
                    assertThat(prestart.exitCode()).as("host %d: %s%s", id, prestart.out(), prestart.err()).isZero();
                    JsonNode fs = Json.MAPPER.readTree(prestart.out()).at("/filesystems/0");
                    assertThat(fs.at("/need/catch_up_source").asText()).isEqualTo("ESTIMATE");
                    assertThat(fs.at("/need/catch_up_bytes").asLong()).as("the estimate alone would not fit")
                            .isGreaterThan(fs.at("/usable_bytes").asLong());
                }
                cluster.brokers().forEach(ChildBroker::start);
                for (ChildBroker b : cluster.brokers()) {
                    b.awaitStarted(Duration.ofSeconds(180));
                }
                try (Admin admin = cluster.admin()) {
                    await("every broker back in the ISR of every partition").atMost(Duration.ofSeconds(180))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> {
                                Map<String, TopicDescription> d = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                                        .get(10, TimeUnit.SECONDS);
                                return d.get(TOPIC).partitions().stream().allMatch(p -> p.isr().size() == 3);
                            });
                }
                assertThat(workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(120))).isEmpty();
                assertThat(workload.acknowledgedCount()).isPositive();
            }
        } finally {
            disks.forEach(SmallFilesystem::close);
        }
    }

    /** Default keys, a test-sized cadence, and a rate measured within the test (forecast.min.span.ms). */
    private Path config(ChildBrokerCluster cluster, int id) throws Exception {
        Properties p = new Properties();
        p.setProperty("broker.config", cluster.broker(id).serverProperties().toString());
        p.setProperty("bootstrap.servers", cluster.bootstrapServers());
        p.setProperty("state.dir", tmp.resolve("state-" + id).toString());
        p.setProperty("http.listen", "127.0.0.1:0");
        p.setProperty("scan.interval.ms", "1000");
        p.setProperty("forecast.min.span.ms", "20000");
        p.setProperty("growth.window.ms", "120000");
        p.setProperty("prestart.cluster.timeout.ms", "3000");
        p.setProperty("cluster.view.enabled", "false");
        p.setProperty("reserve.auto.arm", "false");
        p.setProperty("stop.enabled", "false");
        Path file = tmp.resolve("guardian-" + id + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }
}
