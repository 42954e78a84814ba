package io.archiveguardian.guardian.cordon;

import static io.archiveguardian.guardian.cordon.CordonFixture.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.http.StatusPage;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real 4.3.1 broker with two log dirs (JBOD), each on its own small ext4. Filling one past
 * {@code high} makes the sidecar cordon it; new partitions then avoid it; freeing the space lifts the
 * cordon, and only the guardian's own.
 */
@Tag("broker")
class CordonJbodTest {

    @RegisterExtension
    static final SmallFilesystemExtension DISK_A = SmallFilesystemExtension.ext4(128 * MIB);
    @RegisterExtension
    static final SmallFilesystemExtension DISK_B = SmallFilesystemExtension.ext4(128 * MIB);

    static ChildBrokerCluster cluster;
    static Admin admin;
    static String dirA;
    static String dirB;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        Path a = DISK_A.root().resolve("kafka-logs");
        Path b = DISK_B.root().resolve("kafka-logs");
        dirA = a.toString();
        dirB = b.toString();
        cluster = ChildBrokerCluster.builder(1).logDirs(1, List.of(a, b)).build().start();
        admin = cluster.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void noCordonsAndNoFiller() throws Exception {
        Files.deleteIfExists(filler());
        if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("fresh")) {
            admin.deleteTopics(List.of("fresh")).all().get(60, TimeUnit.SECONDS);
        }
        CordonFixture.alter(admin, 1, "", AlterConfigOp.OpType.DELETE);
        await().atMost(Duration.ofSeconds(30)).until(() -> CordonFixture.cordoned(admin, 1).isEmpty());
    }

    private static Path filler() {
        return DISK_B.root().resolve("other-data");
    }

    private static ChildBroker broker() {
        return cluster.broker(1);
    }

    private Path config;

    private Sidecar sidecar() {
        config = CordonFixture.config(tmp, broker(), cluster.bootstrapServers(), Map.of());
        Sidecar sidecar = CordonFixture.sidecar(config);
        sidecar.start();
        await("the cordon duty is active").atMost(Duration.ofSeconds(60)).until(() ->
                sidecar.status().map(StatusReport::cordon).map(c -> c.state().equals("active")).orElse(false));
        return sidecar;
    }

    private static LogDirCordon row(Sidecar sidecar, String dir) {
        return sidecar.status().orElseThrow().cordon().logDirs().stream().filter(d -> d.logDir().equals(dir)).findFirst().orElseThrow();
    }

    @Test
    void aLogDirFilledPastHighIsCordonedNewPartitionsAvoidItAndFreeingTheSpaceLiftsTheCordon() throws Exception {
        try (Sidecar sidecar = sidecar()) {
            assertThat(row(sidecar, dirB).cordoned()).isFalse();

            CordonFixture.fillTo(filler(), 0.88);
            await("the sidecar cordons the full log dir").atMost(Duration.ofSeconds(60))
                    .until(() -> CordonFixture.cordoned(admin, 1).equals(dirB));
            String described = CordonFixture.kafkaConfigs("--bootstrap-server", cluster.bootstrapServers(), "--describe",
                    "--entity-type", "brokers", "--entity-name", "1");
            System.out.println("kafka-configs --describe after the cordon:\n" + described);
            assertThat(described).contains("cordoned.log.dirs=" + dirB + " sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:cordoned.log.dirs=" + dirB);

            await("the status says the guardian cordoned it").atMost(Duration.ofSeconds(30)).until(() ->
                    "guardian".equals(row(sidecar, dirB).cordonedBy()));
            assertThat(row(sidecar, dirB).reason()).contains("reached cordon.level high");
            assertThat(row(sidecar, dirA).cordoned()).isFalse();
            JsonNode api = Json.MAPPER.readTree(Json.write(sidecar.status().orElseThrow())).at("/cordon");
            assertThat(api.at("/state").asText()).isEqualTo("active");
            assertThat(api.at("/log_dirs/1/log_dir").asText()).isEqualTo(dirB);
            assertThat(api.at("/log_dirs/1/cordoned_by").asText()).isEqualTo("guardian");
            assertThat(StatusPage.render(sidecar.status())).contains("<h2>Cordon</h2>")
                    .contains("<tr><td class=path>" + dirB + "</td><td><b>yes</b>, by guardian");
            CliRun status = CliRun.of("status", "--config", config.toString());
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("Cordon (cordoned.log.dirs, at high): active")
                    .containsPattern(java.util.regex.Pattern.quote("  " + dirB + "  CORDONED by guardian since "))
                    .contains("  " + dirA + "  not cordoned");
            assertThat(sidecar.metrics().scrape())
                    .contains("guardian_logdir_cordoned{logdir=\"" + dirB + "\"} 1.0")
                    .contains("guardian_logdir_cordoned{logdir=\"" + dirA + "\"} 0.0");
            await("a state-change event says so").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sidecar.events().recent()).anySatisfy(e -> {
                        assertThat(e.subject()).isEqualTo("cordon:" + dirB);
                        assertThat(e.state()).isEqualTo("cordoned");
                        assertThat(e.detail()).startsWith("cordoned by guardian: disk pressure high");
                    }));

            await("the broker reports the cordon (it reached the controller with a heartbeat)").atMost(Duration.ofSeconds(60))
                    .until(() -> CordonFixture.reported(admin, 1).equals(Map.of(dirA, false, dirB, true)));
            admin.createTopics(List.of(new NewTopic("fresh", 6, (short) 1))).all().get(60, TimeUnit.SECONDS);
            await("all 6 new partitions are placed").atMost(Duration.ofSeconds(60)).until(() ->
                    CordonFixture.placement(admin, 1, "fresh").values().stream().mapToInt(List::size).sum() == 6);
            assertThat(CordonFixture.placement(admin, 1, "fresh"))
                    .isEqualTo(Map.of(dirA, List.of(0, 1, 2, 3, 4, 5), dirB, List.of()));

            Files.delete(filler());
            await("the cordon is lifted once the disk is back below warn").atMost(Duration.ofSeconds(60))
                    .until(() -> CordonFixture.cordoned(admin, 1).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> !row(sidecar, dirB).cordoned());
            await("a state-change event says so").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sidecar.events().recent()).anySatisfy(e -> {
                        assertThat(e.subject()).isEqualTo("cordon:" + dirB);
                        assertThat(e.previousState()).isEqualTo("cordoned");
                        assertThat(e.state()).isEqualTo("uncordoned");
                    }));
            assertThat(new CordonRecordStore(tmp.resolve("state"), 1).read().dirs()).isEmpty();
        }
    }

    @Test
    void cordonsSetByHandSurviveTheGuardiansUncordon() throws Exception {
        try (Sidecar sidecar = sidecar()) {
            // Another log dir cordoned by hand: the guardian's own cordon comes and goes beside it.
            CordonFixture.alter(admin, 1, dirA, AlterConfigOp.OpType.APPEND);
            CordonFixture.fillTo(filler(), 0.88);
            await("the guardian adds its own cordon").atMost(Duration.ofSeconds(60))
                    .until(() -> CordonFixture.cordoned(admin, 1).equals(dirA + "," + dirB));
            await().atMost(Duration.ofSeconds(30)).until(() -> "guardian".equals(row(sidecar, dirB).cordonedBy()));
            assertThat(row(sidecar, dirA).cordonedBy()).isEqualTo("operator");
            Files.delete(filler());
            await("the guardian lifts only its own").atMost(Duration.ofSeconds(60))
                    .until(() -> CordonFixture.cordoned(admin, 1).equals(dirA));

            // The pressured log dir itself cordoned by hand before the pressure: not the guardian's to lift.
            CordonFixture.alter(admin, 1, dirB, AlterConfigOp.OpType.APPEND);
            // The broker answers describeConfigs from its own metadata copy, a moment behind the controller;
            // a hand cordon made in that moment could be taken for the guardian's (docs/cordon.md).
            await("the broker reports the hand cordon").atMost(Duration.ofSeconds(30))
                    .until(() -> CordonFixture.cordoned(admin, 1).equals(dirA + "," + dirB));
            CordonFixture.fillTo(filler(), 0.88);
            // The duty's report comes from its own thread: the round that lifted the guardian's cordon may still
            // be waiting to see the lift when the hand cordon comes back, and its report is the previous one.
            await("the sidecar sees the pressure and leaves the cordon to its owner").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(row(sidecar, dirB).pressure()).isIn("high", "critical");
                        assertThat(row(sidecar, dirB).cordonedBy()).isEqualTo("operator");
                        assertThat(row(sidecar, dirB).reason()).endsWith("already cordoned by hand");
                    });
            Files.delete(filler());
            await("the disk is back at ok").atMost(Duration.ofSeconds(60)).until(() -> "ok".equals(row(sidecar, dirB).pressure()));
            Thread.sleep(3_000); // several passes at ok: a wrong uncordon would have happened by now
            assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo(dirA + "," + dirB);
            assertThat(row(sidecar, dirB).cordonedBy()).isEqualTo("operator");
        }
    }
}
