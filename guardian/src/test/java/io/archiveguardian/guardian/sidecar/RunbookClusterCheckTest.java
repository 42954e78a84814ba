package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.tools.BrokerApiVersionsCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnosis docs/runbook-alerts.md gives for GuardianClusterUnreachable,
 * {@code kafka-broker-api-versions.sh --bootstrap-server <bootstrap.servers> --command-config <command.config>},
 * run as Kafka's script runs it: it lists the brokers of a cluster that answers and fails on one that
 * does not, so it tells the operator which case they are in.
 */
@Tag("broker")
class RunbookClusterCheckTest {

    @TempDir
    Path tmp;

    /** What the tool printed and whether it failed. */
    record Outcome(String out, Throwable failure) {
    }

    private static Outcome run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Throwable failure = CompletableFuture.supplyAsync(() -> {
                try {
                    BrokerApiVersionsCommand.execute(args);
                    return (Throwable) null;
                } catch (Exception e) {
                    return e;
                }
            }).get(120, TimeUnit.SECONDS);
            return new Outcome(bytes.toString(StandardCharsets.UTF_8), failure);
        } finally {
            System.setOut(before);
        }
    }

    @Test
    void theRunbooksCheckListsTheBrokersOfAClusterThatAnswersAndFailsOnASilentOne() throws Exception {
        Path commandConfig = Files.writeString(tmp.resolve("admin.properties"), "request.timeout.ms=2000\n");
        try (InProcessCluster cluster = InProcessCluster.start(1)) {
            Outcome answering = run("--bootstrap-server", cluster.bootstrapServers(), "--command-config", commandConfig.toString());
            assertThat(answering.failure()).isNull();
            assertThat(answering.out()).contains("(id: 0 rack: null").contains("Metadata(3):");
        }
        try (BlackHole silent = new BlackHole()) {
            Outcome cutOff = run("--bootstrap-server", silent.address(), "--command-config", commandConfig.toString());
            assertThat(cutOff.failure()).as("no broker listed from a cluster that does not answer: " + cutOff.out()).isNotNull();
            System.out.println("kafka-broker-api-versions against a silent cluster: " + cutOff.failure());
            assertThat(cutOff.out()).doesNotContain("(id: ");
        }
    }

    /**
     * The runbook's other check, {@code guardian status} with the sidecar's settings: it asks the
     * cluster once, within prestart.cluster.timeout.ms, and says whether it answered (and why not);
     * the cordons are asked only of a cluster that answered.
     */
    @Test
    void theRunbooksGuardianStatusSaysWhetherTheClusterAnswersAndWhyNot() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        String common = "log.dirs=" + logDir + "\nnode.id=0\nstate.dir=" + tmp.resolve("state") + "\n";
        // The default bound for the live cluster (a cold client on a loaded machine); a short one for the black hole.
        Path config = Files.writeString(tmp.resolve("guardian.properties"), common);
        try (InProcessCluster cluster = InProcessCluster.start(1)) {
            CliRun text = CliRun.of("status", "--config", config.toString(), "--bootstrap-server", cluster.bootstrapServers());
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("\nCluster (" + cluster.bootstrapServers() + "): answers (cluster id ");
            JsonNode json = Json.MAPPER.readTree(CliRun.of("status", "--config", config.toString(), "--bootstrap-server",
                    cluster.bootstrapServers(), "--output", "json").out());
            assertThat(json.at("/cluster/reachable").asBoolean()).isTrue();
            assertThat(json.at("/cluster/cluster_id").asText()).isNotBlank();
            assertThat(json.at("/cluster/detail").isMissingNode()).isTrue();
            assertThat(json.at("/cordon/state").asText()).as("the cordons of a cluster that answers").isNotBlank();
        }
        config = Files.writeString(tmp.resolve("guardian.properties"), common + "prestart.cluster.timeout.ms=1500\n");
        try (BlackHole silent = new BlackHole()) {
            CliRun text = CliRun.of("status", "--config", config.toString(), "--bootstrap-server", silent.address());
            assertThat(text.exitCode()).as("cluster trouble is shown, not an error: " + text.err()).isZero();
            assertThat(text.out()).contains("\nCluster (" + silent.address() + "): DOES NOT ANSWER: could not describe the "
                    + "cluster within 1500 ms (prestart.cluster.timeout.ms): the cluster did not answer; is it reachable?");
            assertThat(text.out()).doesNotContain("Cordon (");
            JsonNode json = Json.MAPPER.readTree(CliRun.of("status", "--config", config.toString(), "--bootstrap-server",
                    silent.address(), "--output", "json").out());
            assertThat(json.at("/cluster/reachable").asBoolean(true)).isFalse();
            assertThat(json.at("/cluster/bootstrap_servers").asText()).isEqualTo(silent.address());
            assertThat(json.at("/cluster/detail").asText()).contains("the cluster did not answer");
            assertThat(json.at("/cluster/checked_at").asText()).isNotBlank();
            assertThat(json.at("/cordon").isMissingNode()).as("not asked of a cluster that did not answer").isTrue();
        }
    }
}
