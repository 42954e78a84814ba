package io.archiveguardian.guardian.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.config.SettingsResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster trouble is "unavailable", never fatal; only a malformed address is a usage error. */
class ClusterUnavailableTest {

    @TempDir
    Path tmp;

    @Test
    void aMalformedBootstrapAddressIsExit2AtStart() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        CliRun run = CliRun.of("status", "--logdir", logDir.toString(), "--bootstrap-server", "broker-1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("bootstrap.servers 'broker-1' has an invalid entry 'broker-1'. Give HOST:PORT "
                + "entries separated by commas, for example broker-1:9092,broker-2:9092.");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "bootstrap.servers", "a:9092,b:99999")))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("invalid entry 'b:99999'");
    }

    @Test
    void aOneShotCommandAgainstAnUnresolvableHostFailsWithExit1NotAUsageError() {
        CliRun run = CliRun.of("retention", "check", "--topics", "archive", "--bootstrap-server", "no-such-broker.invalid:9092");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot create a Kafka Admin client for bootstrap servers no-such-broker.invalid:9092")
                .contains("Check that the names resolve");
    }

    @Test
    void statusWithDnsDownSaysSoInItsOutputExitsZeroAndLogsNothingAboutASidecar() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LogManager.getLogger(ClusterConnection.class);
        AbstractAppender capture = new AbstractAppender("capture-status", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        logger.addAppender(capture);
        CliRun run;
        try {
            run = CliRun.of("status", "--logdir", logDir.toString(), "--bootstrap-server", "no-such-broker.invalid:9092");
        } finally {
            logger.removeAppender(capture);
        }
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\nCluster (no-such-broker.invalid:9092): DOES NOT ANSWER: cluster unavailable: "
                + "Cannot create a Kafka Admin client for bootstrap servers no-such-broker.invalid:9092");
        assertThat(logged).as("a one-shot command is not the sidecar").noneMatch(l -> l.contains("the sidecar goes on"));

        try (ClusterConnection sidecars = new ClusterConnection(SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "log.dirs", logDir.toString(), "bootstrap.servers", "no-such-broker.invalid:9092"))))) {
            logger.addAppender(capture);
            try {
                assertThat(sidecars.admin()).isEmpty();
            } finally {
                logger.removeAppender(capture);
            }
        }
        assertThat(logged).as("the sidecar's connection does say it").anyMatch(l -> l.contains("the sidecar goes on"));
    }

    @Test
    void anUnresolvableHostIsUnavailableRetriedLaterAndNeverThrows() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "bootstrap.servers", "no-such-broker.invalid:9092")));
        MutableClock clock = new MutableClock();
        try (ClusterConnection cluster = new ClusterConnection(settings, clock)) {
            assertThat(cluster.admin()).isEmpty();
            assertThat(cluster.problem()).startsWith("cluster unavailable: ").contains("no-such-broker.invalid:9092");
            assertThat(cluster.admin()).as("not retried before the back-off").isEmpty();
            clock.now = clock.now.plus(ClusterConnection.RETRY);
            assertThat(cluster.admin()).as("retried, still unavailable").isEmpty();
        }
    }

    @Test
    void aBootstrapDerivedFromTheBrokersListenersWarnsAndSpeaksThatListenersProtocol() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        Path server = Files.writeString(tmp.resolve("server.properties"), "node.id=1\nlog.dirs=" + logDir + "\n"
                + "listeners=CONTROLLER://:9093,INTERNAL://:9094\ncontroller.listener.names=CONTROLLER\n"
                + "listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:SASL_SSL\n");
        GuardianSettings derived = SettingsResolver.resolve(GuardianConfig.of(Map.of("broker.config", server.toString())));
        assertThat(derived.bootstrapServers()).hasValue("127.0.0.1:9094");
        assertThat(derived.adminProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(ClusterConnection.derivedBootstrapWarning(derived)).hasValue("bootstrap.servers is derived from the "
                + "broker's own listeners (127.0.0.1:9094): when the broker is down, which is when the guardian needs the "
                + "cluster, that address does not answer. Set bootstrap.servers to several brokers' addresses.");

        Path commandConfig = Files.writeString(tmp.resolve("admin.properties"), "security.protocol=SSL\n");
        GuardianSettings own = SettingsResolver.resolve(GuardianConfig.of(Map.of("broker.config", server.toString(),
                "command.config", commandConfig.toString())));
        assertThat(own.adminProperties()).as("--command-config wins").containsEntry("security.protocol", "SSL");

        GuardianSettings explicit = SettingsResolver.resolve(GuardianConfig.of(Map.of("broker.config", server.toString(),
                "bootstrap.servers", "b1:9092,b2:9092")));
        assertThat(ClusterConnection.derivedBootstrapWarning(explicit)).isEmpty();
        assertThat(explicit.adminProperties()).doesNotContainKey("security.protocol");
    }

    @Test
    void aBootstrapDerivedFromABrokerThatIsTheWholeClusterDoesNotWarn() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        String common = "node.id=1\nlog.dirs=" + logDir + "\nlisteners=PLAINTEXT://:9092,CONTROLLER://:9093\n"
                + "controller.listener.names=CONTROLLER\n";
        GuardianSettings single = settings("single.properties", common
                + "process.roles=broker,controller\ncontroller.quorum.voters=1@localhost:9093\n");
        assertThat(ClusterConnection.derivedBootstrapWarning(single)).as("its own quorum, the only voter").isEmpty();
        GuardianSettings dynamic = settings("dynamic.properties", common
                + "process.roles=broker,controller\ncontroller.quorum.bootstrap.servers=localhost:9093\n");
        assertThat(ClusterConnection.derivedBootstrapWarning(dynamic)).as("the one controller it names").isEmpty();
        GuardianSettings threeVoters = settings("three.properties", common
                + "process.roles=broker,controller\ncontroller.quorum.voters=1@h1:9093,2@h2:9093,3@h3:9093\n");
        assertThat(ClusterConnection.derivedBootstrapWarning(threeVoters)).isPresent();
        GuardianSettings brokerOnly = settings("broker.properties", common
                + "process.roles=broker\ncontroller.quorum.voters=1@localhost:9093\n");
        assertThat(ClusterConnection.derivedBootstrapWarning(brokerOnly)).as("a broker with a separate quorum").isPresent();
        GuardianSettings otherVoter = settings("other.properties", common
                + "process.roles=broker,controller\ncontroller.quorum.voters=2@localhost:9093\n");
        assertThat(ClusterConnection.derivedBootstrapWarning(otherVoter)).isPresent();
    }

    @Test
    void aSilentClusterIsSaidOnceThenSummarizedEveryTenMinutesAndItsReturnOnce() {
        ClusterConnection.Silence silence = new ClusterConnection.Silence();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(silence.answered(true, null, t0)).as("answers: nothing to say").isEmpty();
        assertThat(silence.answered(false, "no answer", t0)).hasValue("the cluster does not answer (no answer); retention, "
                + "drop candidates, the catch-up estimate and the re-arm gate wait for it, the local guard goes on");
        for (int s = 5; s < 600; s += 5) {
            assertThat(silence.answered(false, "no answer", t0.plusSeconds(s))).as("within 10 min of the first").isEmpty();
        }
        assertThat(silence.answered(false, "no answer", t0.plusSeconds(600))).get().asString()
                .startsWith("the cluster does not answer (no answer), 121 attempts since ")
                .endsWith(" (10 min); the local guard goes on");
        assertThat(silence.answered(false, "no answer", t0.plusSeconds(605))).isEmpty();
        assertThat(silence.answered(true, null, t0.plusSeconds(610)))
                .hasValue("the cluster answers again, after 122 attempts over 10 min 10 s");
        assertThat(silence.answered(true, null, t0.plusSeconds(615))).isEmpty();
        assertThat(silence.answered(false, "refused", t0.plusSeconds(620))).get().asString()
                .startsWith("the cluster does not answer (refused); ");
    }

    private GuardianSettings settings(String name, String serverProperties) throws Exception {
        Path server = Files.writeString(tmp.resolve(name), serverProperties);
        return SettingsResolver.resolve(GuardianConfig.of(Map.of("broker.config", server.toString())));
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
