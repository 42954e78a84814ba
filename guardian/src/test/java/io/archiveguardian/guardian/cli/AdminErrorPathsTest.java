package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.LocalTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The error paths of the commands that talk to the cluster, with Kafka's MockAdminClient instead of
 * a broker: each command takes its Admin as Kafka's LogDirsCommand does ({@code execute(..., Admin)}),
 * so a cluster that times out or lacks a topic is a test of seconds.
 */
class AdminErrorPathsTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void dropCandidatesWhenTheClusterDoesNotAnswerFailsNamingTheTimeout() throws Exception {
        DropCandidatesCommand cmd = parse(DropCandidatesCommand.class, "drop-candidates", "--need", "1M");
        GuardianSettings settings = cmd.options.settingsForSubset();
        MockAdminClient admin = new MockAdminClient(List.of(new Node(1, "b1", 9092), new Node(2, "b2", 9092)), new Node(1, "b1", 9092));
        admin.timeoutNextRequest(10);

        assertThatThrownBy(() -> cmd.execute(settings, LocalTarget.resolve(settings, cmd.options.requestedLogDirs()), admin))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining("the cluster did not answer");
        assertThat(out.toString()).as("no plan printed from a cluster that did not answer").isEmpty();
    }

    @Test
    void dropCandidatesOnAnEmptyClusterPlansNothingAndSaysSo() throws Exception {
        DropCandidatesCommand cmd = parse(DropCandidatesCommand.class, "drop-candidates", "--need", "1M", "--output", "json");
        GuardianSettings settings = cmd.options.settingsForSubset();
        MockAdminClient admin = new MockAdminClient(List.of(new Node(1, "b1", 9092)), new Node(1, "b1", 9092));

        int code = cmd.execute(settings, LocalTarget.resolve(settings, cmd.options.requestedLogDirs()), admin);

        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"sufficient\" : false").contains("\"need_bytes\" : 1048576");
    }

    @Test
    void retentionCheckOfATopicTheClusterDoesNotHaveIsABadInputNamingIt() throws Exception {
        RetentionCommand.Check cmd = parse(RetentionCommand.Check.class, "retention", "check", "--topics", "archive,missing");
        GuardianSettings settings = cmd.common.settings();
        Node b1 = new Node(0, "b0", 9092); // MockAdminClient indexes log dirs by broker id
        MockAdminClient admin = new MockAdminClient(List.of(b1), b1);
        admin.addTopic(false, "archive", List.of(new TopicPartitionInfo(0, b1, List.of(b1), List.of(b1))),
                Map.of("retention.ms", "-1", "retention.bytes", "-1"));

        assertThatThrownBy(() -> cmd.execute(settings, admin))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("missing");
    }

    @Test
    void retentionApplyWhenTheClusterTimesOutFailsNamingTheBootstrapAndChangesNothing() throws Exception {
        RetentionCommand.Apply cmd = parse(RetentionCommand.Apply.class, "retention", "apply", "--topics", "archive", "--yes");
        GuardianSettings settings = cmd.common.settings();
        Node b1 = new Node(0, "b0", 9092); // MockAdminClient indexes log dirs by broker id
        MockAdminClient admin = new MockAdminClient(List.of(b1), b1);
        admin.addTopic(false, "archive", List.of(new TopicPartitionInfo(0, b1, List.of(b1), List.of(b1))),
                Map.of("retention.ms", "3600000"));
        admin.timeoutNextRequest(10);

        assertThatThrownBy(() -> cmd.execute(settings, admin))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining("within 2000 ms (admin.timeout.ms): the cluster at localhost:1 did not answer");
        admin.timeoutNextRequest(0);
        var configs = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "archive"))).all().get();
        assertThat(configs.values().iterator().next().get("retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void cordonStatusWhenTheClusterTimesOutFailsNamingWhatItAsked() throws Exception {
        CordonCommand.Status cmd = parse(CordonCommand.Status.class, "cordon", "status");
        GuardianSettings settings = cmd.options.settingsForSubset();
        cmd.settings = io.archiveguardian.guardian.cordon.CordonSettings.of(settings);
        cmd.brokerId = 1;
        MockAdminClient admin = new MockAdminClient(List.of(new Node(1, "b1", 9092)), new Node(1, "b1", 9092));
        admin.timeoutNextRequest(10);

        assertThatThrownBy(() -> cmd.execute(settings, List.copyOf(cmd.settings.kafkaNames().keySet()), admin))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining("could not");
    }

    /** Parses a command line as the CLI does and returns the (sub)command object, options set. */
    private <T> T parse(Class<T> type, String... command) throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Path config = Files.writeString(tmp.resolve("guardian.properties"), "node.id=1\nstate.dir=" + tmp.resolve("state")
                + "\nbootstrap.servers=localhost:1\nadmin.timeout.ms=2000\n");
        List<String> args = new java.util.ArrayList<>(List.of(command));
        args.addAll(List.of("--logdir", logDir.toString(), "--config", config.toString()));
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        CommandLine.ParseResult result = cl.parseArgs(args.toArray(String[]::new));
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }
}
