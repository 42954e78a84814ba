package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit 10 with the cluster reachable: prestart prints the drop plan made against this start's
 * need, in text and JSON, with the one command that carries it out. Broker 2 sits on a 96 MiB
 * ext4 that other data fills while it is down and misses writes.
 */
@Tag("broker")
class PrestartDropPlanTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(96 * MIB);

    @TempDir
    Path tmp;

    @Test
    void whenNothingFitsPrestartPrintsTheDropPlanFromTheLiveCluster() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).logDir(2, logDir).build().start()) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 2, (short) 3).configs(Map.of("min.insync.replicas", "1"))))
                        .all().get(60, TimeUnit.SECONDS);
            }
            ArchiveWorkload workload = new ArchiveWorkload("archive");
            workload.produce(cluster.bootstrapServers(), 4 * MIB, 8192);
            ChildBroker broker2 = cluster.broker(2);
            broker2.stop();
            workload.produce(cluster.liveBootstrapServers(), 16 * MIB, 8192);
            try (RandomAccessFile filler = new RandomAccessFile(disk.root().resolve("other-data").toFile(), "rw")) {
                byte[] block = new byte[(int) MIB];
                for (long i = (disk.filesystem().dfAvailableBytes() - 6 * MIB) / MIB; i > 0; i--) {
                    filler.write(block);
                }
                filler.getFD().sync();
            }
            Path config = tmp.resolve("guardian.properties");
            Files.writeString(config, "broker.config=" + broker2.serverProperties() + "\nbootstrap.servers="
                    + cluster.liveBootstrapServers() + "\nstate.dir=" + tmp.resolve("state") + "\n");

            CliRun text = CliRun.of("prestart", "--config", config.toString());
            System.out.println(text.out());
            assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(10);
            assertThat(text.out()).contains("The replicas that are safe to drop, planned against this start's need (nothing has been changed):")
                    .contains("at the next start (the dropped partitions' recovery and catch-up)").contains("on disk")
                    .contains("guardian drop --config " + config.toAbsolutePath() + " --logdir " + logDir + " --partition archive-");

            CliRun json = CliRun.of("prestart", "--config", config.toString(), "--output", "json");
            assertThat(json.exitCode()).isEqualTo(10);
            JsonNode root = Json.MAPPER.readTree(json.out());
            JsonNode replicas = root.at("/drop_plan/replicas");
            assertThat(replicas).isNotEmpty();
            assertThat(replicas.get(0).has("safe")).isTrue();
            assertThat(replicas.get(0).has("reason")).isTrue();
            assertThat(replicas.get(0).get("disk_bytes").asLong()).isGreaterThanOrEqualTo(replicas.get(0).get("bytes").asLong());
            JsonNode plan = root.at("/drop_plan/plan");
            assertThat(plan.get("basis").asText()).isEqualTo("START_NEED");
            assertThat(plan.get("sufficient").asBoolean()).isTrue();
            assertThat(plan.get("saved_at_start_bytes").asLong()).isPositive();
            assertThat(plan.get("undo_possible").asBoolean()).isEqualTo(!plan.get("purge").asBoolean());
            String command = root.get("drop_command").asText();
            assertThat(command).startsWith("guardian drop --config ").contains(" --partition archive-");
            assertThat(command.endsWith(" --purge")).isEqualTo(plan.get("purge").asBoolean());

            // drop-candidates --for-start gives the operator the same plan and command, with every replica's verdict
            CliRun candidates = CliRun.of("drop-candidates", "--config", config.toString(), "--for-start");
            System.out.println(candidates.out());
            assertThat(candidates.exitCode()).as(candidates.out() + candidates.err()).isZero();
            assertThat(candidates.out()).contains("  " + command + "   (add --execute to carry it out)")
                    .contains("PLAN      BYTES    ON DISK  SAFE");

            // The running sidecar serves the same plan for the stopped broker's next start over HTTP.
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config,
                    Map.of("scan.interval.ms", "1000", "http.listen", "127.0.0.1:0"))))) {
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create(sidecar.baseUrl() + "/api/v1/drop-candidates?for_start=true");
                HttpResponse<String> served = await("the sidecar's plan for the next start").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()),
                                r -> r.statusCode() == 200);
                JsonNode servedPlan = Json.MAPPER.readTree(served.body()).at("/plan");
                assertThat(servedPlan.get("basis").asText()).isEqualTo("START_NEED");
                assertThat(servedPlan.get("purge").asBoolean()).isEqualTo(plan.get("purge").asBoolean());
                assertThat(partitions(servedPlan)).isEqualTo(partitions(plan));
                assertThat(servedPlan.get("saved_at_start_bytes").asLong())
                        .isCloseTo(plan.get("saved_at_start_bytes").asLong(), org.assertj.core.data.Percentage.withPercentage(1));
                HttpResponse<String> withNeed = http.send(HttpRequest.newBuilder(URI.create(uri + "&need=1G")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(withNeed.statusCode()).as(withNeed.body()).isEqualTo(400);
            }
        }
    }

    private static java.util.Set<String> partitions(JsonNode plan) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        plan.get("drops").forEach(d -> out.add(d.get("topic").asText() + "-" + d.get("partition").asInt()));
        return out;
    }
}
