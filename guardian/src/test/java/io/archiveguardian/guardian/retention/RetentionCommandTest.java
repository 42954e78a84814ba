package io.archiveguardian.guardian.retention;

import static io.archiveguardian.guardian.retention.SharedRetentionCluster.bootstrap;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.createTopic;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.topicConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code guardian retention check|apply} against a real in-process cluster. */
@Tag("broker")
@ExtendWith(SharedRetentionCluster.class)
class RetentionCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run guardian(String... args) {
        return guardianWithInput(null, args);
    }

    static Run guardianWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(bootstrap());
        InputStream original = System.in;
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void checkShowsAFiniteTopicOverrideAsDriftWithItsSourceAndTheChangeAndExitsThree() throws Exception {
        createTopic("cmd-override", Map.of("retention.ms", "86400000", "retention.bytes", "-1"));

        Run run = guardian("retention", "check", "--topics", "cmd-override");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).isEqualTo("""
                Archive topics (names [cmd-override]): 1

                cmd-override  drift
                  retention.ms     86400000 (topic override)
                  retention.bytes  -1 (topic override)
                  change: retention.ms: 86400000 (topic override) -> -1 (topic override)

                Summary: 1 drift, 0 review, 0 infinite, 0 compacted; 1 topic(s) to change.
                """);
    }

    @Test
    void checkReportsATopicWithoutOverridesAsDriftInheritedFromKafkasDefault() throws Exception {
        createTopic("cmd-inherits", Map.of());

        Run run = guardian("retention", "check", "--topics", "cmd-inherits");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out())
                .contains("cmd-inherits  drift\n")
                .contains("  retention.ms     604800000 (Kafka default: log.retention.hours=168)\n")
                .contains("  retention.bytes  -1 (Kafka default: log.retention.bytes=-1)\n")
                .contains("  note: inherits a finite value from the brokers");
    }

    @Test
    void aFiniteDynamicClusterWideBrokerDefaultIsDriftAndApplyPinsTheTopic() throws Exception {
        createTopic("cmd-broker-default", Map.of("retention.ms", "-1"));
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        SharedRetentionCluster.alter(clusterDefault, "log.retention.bytes", "1073741824");
        try {
            await("the cluster-wide default reaches the brokers").atMost(Duration.ofSeconds(30))
                    .until(() -> topicConfig("cmd-broker-default", "retention.bytes").source()
                            == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

            Run check = guardian("retention", "check", "--topics", "cmd-broker-default");
            assertThat(check.exitCode()).isEqualTo(3);
            assertThat(check.out()).contains("  retention.bytes  1073741824 (dynamic cluster-wide broker default: "
                    + "log.retention.bytes=1073741824)\n");

            Run apply = guardian("retention", "apply", "--yes", "--topics", "cmd-broker-default");
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("cmd-broker-default: changed: retention.bytes: 1073741824 (dynamic "
                    + "cluster-wide broker default: log.retention.bytes=1073741824) -> -1 (topic override)\n");
            SharedRetentionCluster.awaitTopicConfig("cmd-broker-default", "retention.bytes", "-1");
            assertThat(guardian("retention", "check", "--topics", "cmd-broker-default").exitCode()).isZero();
        } finally {
            SharedRetentionCluster.alter(clusterDefault, "log.retention.bytes", null);
        }
    }

    @Test
    void applyWithYesSetsBothValuesReportsEachTopicAndASecondApplyChangesNothing() throws Exception {
        createTopic("cmd-apply-a", Map.of("retention.ms", "3600000"));
        createTopic("cmd-apply-b", Map.of("retention.bytes", "1048576", "retention.ms", "-1"));

        Run first = guardian("retention", "apply", "--yes", "--topics", "cmd-apply-a,cmd-apply-b");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains(
                "cmd-apply-a: changed: retention.ms: 3600000 (topic override) -> -1 (topic override); "
                        + "retention.bytes: -1 (Kafka default: log.retention.bytes=-1) -> -1 (topic override)\n",
                "cmd-apply-b: changed: retention.bytes: 1048576 (topic override) -> -1 (topic override)\n");
        for (String t : List.of("cmd-apply-a", "cmd-apply-b")) {
            SharedRetentionCluster.awaitTopicConfig(t, "retention.ms", "-1");
            SharedRetentionCluster.awaitTopicConfig(t, "retention.bytes", "-1");
            assertThat(topicConfig(t, "retention.ms").source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }

        Run second = guardian("retention", "apply", "--yes", "--topics", "cmd-apply-a,cmd-apply-b");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("Summary: 0 drift, 0 review, 2 infinite, 0 compacted; 0 topic(s) to change.\n")
                .endsWith("Nothing to change.\n");
        assertThat(guardian("retention", "check", "--topics", "cmd-apply-a,cmd-apply-b").exitCode()).isZero();
    }

    @Test
    void applyDryRunPrintsThePlanAndChangesNothing() throws Exception {
        createTopic("cmd-dry", Map.of("retention.ms", "3600000"));

        Run run = guardian("retention", "apply", "--dry-run", "--topics", "cmd-dry");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("change: retention.ms: 3600000 (topic override) -> -1 (topic override)")
                .endsWith("Dry run: nothing was changed.\n");
        assertThat(topicConfig("cmd-dry", "retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void applyAsksForConfirmationAndOnlyAYesChangesAnything() throws Exception {
        createTopic("cmd-confirm", Map.of("retention.ms", "3600000"));

        Run declined = guardianWithInput("n\n", "retention", "apply", "--topics", "cmd-confirm");
        assertThat(declined.exitCode()).isZero();
        assertThat(declined.out()).endsWith("Set retention.ms=-1 and retention.bytes=-1 on 1 topic(s)? [y/N] "
                + "Not confirmed: nothing was changed.\n");
        assertThat(topicConfig("cmd-confirm", "retention.ms").value()).isEqualTo("3600000");

        Run closed = guardianWithInput("", "retention", "apply", "--topics", "cmd-confirm");
        assertThat(closed.exitCode()).isEqualTo(2);
        assertThat(closed.err()).startsWith("guardian: No confirmation: standard input is closed. Pass --yes");
        assertThat(topicConfig("cmd-confirm", "retention.ms").value()).isEqualTo("3600000");

        Run accepted = guardianWithInput("yes\n", "retention", "apply", "--topics", "cmd-confirm");
        assertThat(accepted.exitCode()).isZero();
        assertThat(accepted.out()).contains("cmd-confirm: changed: retention.ms: 3600000 (topic override) -> -1");
        SharedRetentionCluster.awaitTopicConfig("cmd-confirm", "retention.ms", "-1");
    }

    @Test
    void aCompactedTopicIsExplainedNotCountedAsDriftAndNeverRewritten() throws Exception {
        createTopic("cmd-compacted", Map.of("cleanup.policy", "compact", "retention.ms", "1000"));

        Run check = guardian("retention", "check", "--topics", "cmd-compacted");
        Run apply = guardian("retention", "apply", "--yes", "--topics", "cmd-compacted");

        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains("cmd-compacted  compacted\n",
                "  note: cleanup.policy=compact: retention.ms and retention.bytes delete nothing here.");
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out()).endsWith("Nothing to change.\n");
        assertThat(topicConfig("cmd-compacted", "retention.ms").value()).isEqualTo("1000");
    }

    @Test
    void aRegexWithExclusionsSelectsMatchingTopicsButNeverInternalOrGuardianOnes() throws Exception {
        for (String t : List.of("rx-a", "rx-b", "rx-skip", "_guardian-rx-events", "__rx-internal")) {
            createTopic(t, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        }

        Run run = guardian("retention", "check", "--topics-regex", ".*rx.*", "--exclude", "rx-skip", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        List<String> topics = new ArrayList<>();
        json.get("topics").forEach(t -> topics.add(t.get("topic").asText()));
        assertThat(topics).containsExactly("rx-a", "rx-b");
        assertThat(json.get("selection").asText()).isEqualTo("regex '.*rx.*', excluding [rx-skip]");
        assertThat(json.get("finite_topics").asInt()).isZero();
        JsonNode a = json.get("topics").get(0);
        assertThat(a.get("status").asText()).isEqualTo("infinite");
        assertThat(a.get("retention_ms").get("source").asText()).isEqualTo("topic override");
        assertThat(a.get("retention_ms").get("value").asLong()).isEqualTo(-1);
    }

    @Test
    void applyInJsonGivesThePlanAndOneResultPerChangedTopic() throws Exception {
        createTopic("cmd-json", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));

        Run run = guardian("retention", "apply", "--yes", "--output", "json", "--topics", "cmd-json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.get("dry_run").asBoolean()).isFalse();
        assertThat(json.get("topics").get(0).get("status").asText()).isEqualTo("drift");
        JsonNode result = json.get("results").get(0);
        assertThat(result.get("topic").asText()).isEqualTo("cmd-json");
        assertThat(result.get("applied").asBoolean()).isTrue();
        assertThat(result.path("failure").isMissingNode()).as("no failure: the key is left out, as every null").isTrue();
        JsonNode change = result.get("changes").get(0);
        assertThat(change.get("key").asText()).isEqualTo("retention.ms");
        assertThat(change.get("current").get("value").asLong()).isEqualTo(3_600_000L);
        assertThat(change.get("new_value").asLong()).isEqualTo(-1L);
        SharedRetentionCluster.awaitTopicConfig("cmd-json", "retention.ms", "-1");
    }

    @Test
    void anUnknownExplicitlyNamedTopicIsAUsageErrorAndNothingIsChanged() throws Exception {
        createTopic("cmd-known", Map.of("retention.ms", "3600000"));

        Run run = guardian("retention", "apply", "--yes", "--topics", "cmd-known,cmd-no-such-topic");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: Unknown topic [cmd-no-such-topic] named in --topics / retention.topics: "
                + "no such topic in the cluster at " + bootstrap() + " (or the client's principal lacks Describe on it). "
                + "Check the spelling (names are case-sensitive) or create the topic first. Nothing was changed.\n");
        assertThat(topicConfig("cmd-known", "retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void noConfiguredTopicsIsAUsageError() {
        Run run = guardian("retention", "check");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: No archive topics configured: give --topics or --topics-regex, "
                + "or set retention.topics / retention.topics.regex.\n");
    }
}
