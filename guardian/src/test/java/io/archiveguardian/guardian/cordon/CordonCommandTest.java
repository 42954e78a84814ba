package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guardian cordon status|add|remove} against one real broker with two log dirs. */
@Tag("broker")
class CordonCommandTest {

    static ChildBrokerCluster cluster;
    static Admin admin;
    static String dirA;
    static String dirB;

    @TempDir
    Path tmp;
    Path config;

    @BeforeAll
    static void startBroker(@TempDir Path base) {
        cluster = ChildBrokerCluster.builder(1).logDirs(1, List.of(base.resolve("a"), base.resolve("b"))).build().start();
        admin = cluster.admin();
        dirA = base.resolve("a").toString();
        dirB = base.resolve("b").toString();
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
    void noCordons() throws Exception {
        CordonFixture.alter(admin, 1, "", AlterConfigOp.OpType.DELETE);
        await().atMost(Duration.ofSeconds(30)).until(() -> CordonFixture.cordoned(admin, 1).isEmpty());
        Properties p = new Properties();
        p.setProperty("broker.config", cluster.broker(1).serverProperties().toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        config = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
    }

    private CliRun cordon(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "cordon";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        CliRun run = CliRun.of(all);
        System.out.println("guardian " + String.join(" ", all) + " -> " + run.exitCode() + "\n" + run.out() + run.err());
        return run;
    }

    @Test
    void aLogDirThatIsNotOneOfTheBrokersIsExitCode2NamingTheValueAndTheLogDirs() throws Exception {
        CliRun run = cordon("add", "--logdir", "/data/elsewhere");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: --logdir /data/elsewhere is not a log dir of broker 1. Its log dirs are: "
                + dirA + ", " + dirB + ".\n");
        assertThat(CordonFixture.cordoned(admin, 1)).isEmpty();
    }

    @Test
    void unknownSubcommandsAndMissingValuesAreExitCode2() {
        assertThat(cordon("lift").exitCode()).isEqualTo(2);
        CliRun missing = cordon("remove", "--logdir");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("guardian: Expected parameter for option '--logdir'");
    }

    @Test
    void withoutTheBrokersNodeIdNothingIsTouched() {
        CliRun run = CliRun.of("cordon", "add", "--logdir", dirA, "--bootstrap-server", cluster.bootstrapServers());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("The broker's node.id is unknown: give --broker-config");
    }

    @Test
    void aCordonAddedByHandIsTheOperatorsAndItsRemovalNeedsForce() throws Exception {
        CliRun add = cordon("add", "--logdir", dirA);
        assertThat(add.exitCode()).isZero();
        assertThat(add.out()).isEqualTo("cordoned by hand: " + dirA + "\nbroker 1: cordoned.log.dirs=" + dirA + "\n");
        assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo(dirA);

        await("the broker itself reports the cordon").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = Json.MAPPER.readTree(cordon("status", "--output", "json").out());
            assertThat(status.at("/log_dirs/0/log_dir").asText()).isEqualTo(dirA);
            assertThat(status.at("/log_dirs/0/cordoned_by").asText()).isEqualTo("operator");
            assertThat(status.at("/log_dirs/0/broker_reports_cordoned").asBoolean()).isTrue();
            assertThat(status.at("/log_dirs/1/cordoned").asBoolean()).isFalse();
        });

        CliRun refused = cordon("remove", "--logdir", dirA);
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).isEqualTo("guardian: log dir " + dirA + " was cordoned by hand, not by the guardian; "
                + "lifting it may undo an operator's decision. Add --force to lift it anyway. Nothing was changed.\n");
        assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo(dirA);

        CliRun forced = cordon("remove", "--logdir", dirA, "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(CordonFixture.cordoned(admin, 1)).isEmpty();
    }

    @Test
    void theGuardiansOwnCordonIsShownAsSuchAndRemovedWithoutForce() throws Exception {
        var settings = SettingsResolver.resolve(GuardianConfig.load(config, Map.of()));
        try (CordonDuty duty = new CordonDuty(CordonSettings.of(settings), () -> Optional.of(admin), new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            CordonReport report = duty.runOnce(true, highPressureOn(dirB));
            assertThat(report.state()).as(report.detail()).isEqualTo("active");
        }
        assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo(dirB);

        CliRun status = cordon("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith("broker 1: cordoned.log.dirs=" + dirB + " (DYNAMIC_BROKER_CONFIG)\n")
                .contains("  " + dirA + "  not cordoned")
                .containsPattern(Pattern.quote("  " + dirB + "  CORDONED by guardian since ") + ".*: disk pressure high reached cordon.level high");

        CliRun remove = cordon("remove", "--logdir", dirB);
        assertThat(remove.exitCode()).isZero();
        assertThat(CordonFixture.cordoned(admin, 1)).isEmpty();
        assertThat(new CordonRecordStore(tmp.resolve("state"), 1).read().dirs()).isEmpty();
    }

    @Test
    void aWildcardCordonIsNotSplitAndTheKafkaConfigsCommandPrintedForItWorks() throws Exception {
        CordonFixture.alter(admin, 1, "*", AlterConfigOp.OpType.SET);

        CliRun refused = cordon("remove", "--logdir", dirA, "--force");
        assertThat(refused.exitCode()).isEqualTo(3);
        Matcher m = Pattern.compile("Lift it with: kafka-configs.sh (.*?)\\. Nothing was changed").matcher(refused.err());
        assertThat(m.find()).as(refused.err()).isTrue();
        assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo("*");

        String printed = m.group(1).replace("<server>", cluster.bootstrapServers());
        CordonFixture.kafkaConfigs(printed.split(" "));
        await().atMost(Duration.ofSeconds(30)).until(() -> CordonFixture.cordoned(admin, 1).isEmpty());
    }

    private static PassFacts highPressureOn(String dir) {
        DiskFacts high = new DiskFacts("/", List.of(dir), 100, 9, PressureLevel.HIGH, PressureLevel.OK,
                "used 91.0% >= high 90.0%", 0, 0, 0, null, null, null);
        Observation o = new Observation(Instant.now(), "test", 1, BrokerState.RUNNING, List.of(), List.of(), 0);
        return new PassFacts(o, Map.of("/", high), Map.of(), Map.of());
    }
}
