package io.archiveguardian.guardian.retention;

import static io.archiveguardian.guardian.retention.SharedRetentionCluster.bootstrap;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.createTopic;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.topicConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.testsupport.InProcessCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sidecar's retention duty, {@link RetentionWatcher}, against a real two-broker cluster (ids 0 and 1). */
@Tag("broker")
@ExtendWith(SharedRetentionCluster.class)
class RetentionWatcherTest {

    static RetentionAdmin admin() {
        return new RetentionAdmin(SharedRetentionCluster.admin(), bootstrap(), Duration.ofSeconds(15));
    }

    static RetentionWatcher watcher(TopicSelection selection, boolean repair) {
        return new RetentionWatcher(selection, repair, Clock.systemUTC());
    }

    static TopicSelection named(String... topics) {
        return new TopicSelection(List.of(topics), Optional.empty(), Set.of());
    }

    static RetentionValue override(long value, String key) {
        return new RetentionValue(value, ValueSource.TOPIC_OVERRIDE, key + "=" + value);
    }

    @Test
    void driftIntroducedWithAdminWhileTheWatcherRunsIsRepairedWithinOneInterval() throws Exception {
        createTopic("watch-drift", Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        RetentionWatcher watcher = watcher(named("watch-drift"), true);
        RetentionAdmin admin = admin();
        List<RetentionPass> passes = new CopyOnWriteArrayList<>();
        Duration interval = Duration.ofSeconds(1);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        try {
            loop.scheduleWithFixedDelay(() -> passes.add(watcher.runOnce(admin, OptionalInt.of(0))),
                    0, interval.toMillis(), TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> !passes.isEmpty());
            assertThat(passes.get(0).events()).isEmpty();
            assertThat(passes.get(0).electedRepairer()).isTrue();

            // Kafka's own Admin API, as an operator's tool would do it (no waiting for the brokers).
            SharedRetentionCluster.alter(new ConfigResource(ConfigResource.Type.TOPIC, "watch-drift"), "retention.ms", "3600000");
            int completedBeforeDrift = passes.size();

            await("repaired").atMost(interval.plusSeconds(15))
                    .until(() -> passes.stream().anyMatch(p -> !p.repairs().isEmpty()));
            RetentionPass repairing = passes.stream().filter(p -> !p.repairs().isEmpty()).findFirst().orElseThrow();
            // The pass in flight while the drift was made may have missed it; the one after it repairs.
            assertThat(passes.indexOf(repairing)).isLessThanOrEqualTo(completedBeforeDrift + 1);
            assertThat(repairing.drifted()).containsExactly(new RetentionDrift("watch-drift", TopicStatus.DRIFT,
                    "retention.ms", Optional.of(override(-1, "retention.ms")), override(3_600_000L, "retention.ms")));
            assertThat(repairing.events()).containsExactly(
                    new RetentionEvent("retention:watch-drift", "INFINITE", "DRIFT",
                            "retention.ms was -1 (topic override), is now 3600000 (topic override); "
                                    + "retention.bytes unchanged at -1 (topic override); repairing now"),
                    new RetentionEvent("retention:watch-drift", "DRIFT", "INFINITE",
                            "repaired by this sidecar (broker 0, elected repairer): "
                                    + "retention.ms: 3600000 (topic override) -> -1 (topic override)"));
            assertThat(repairing.errors()).isEmpty();
            assertThat(repairing.driftTopics()).isZero();
            SharedRetentionCluster.awaitTopicConfig("watch-drift", "retention.ms", "-1");

            int repairIndex = passes.indexOf(repairing);
            await().atMost(Duration.ofSeconds(20)).until(() -> passes.size() > repairIndex + 1);
            assertThat(passes.get(repairIndex + 1).events()).isEmpty();
            assertThat(passes.get(repairIndex + 1).repairs()).isEmpty();
            assertThat(watcher.repairsTotal()).isEqualTo(1);
            assertThat(watcher.driftTopics()).isZero();
        } finally {
            loop.shutdownNow();
            loop.awaitTermination(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void reportOnlyModeReportsDriftOnceAndLeavesTheTopicAlone() throws Exception {
        createTopic("watch-report", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                GuardianConfig.BOOTSTRAP_SERVERS, bootstrap(),
                GuardianConfig.LOG_DIRS, "/tmp",
                GuardianConfig.NODE_ID, "0",
                GuardianConfig.RETENTION_TOPICS, "watch-report",
                GuardianConfig.RETENTION_REPAIR, "false")), false);
        RetentionWatcher watcher = RetentionWatcher.from(settings, Clock.systemUTC());

        RetentionPass first = watcher.runOnce(SharedRetentionCluster.admin(), settings);
        RetentionPass second = watcher.runOnce(SharedRetentionCluster.admin(), settings);

        assertThat(first.repairEnabled()).isFalse();
        assertThat(first.electedRepairer()).isTrue();
        assertThat(first.repairs()).isEmpty();
        assertThat(first.events()).containsExactly(new RetentionEvent("retention:watch-report", null, "DRIFT",
                "retention.ms is 3600000 (topic override), retention.bytes is -1 (topic override); "
                        + "report only (retention.repair=false)"));
        assertThat(first.drifted()).containsExactly(new RetentionDrift("watch-report", TopicStatus.DRIFT, "retention.ms",
                Optional.empty(), override(3_600_000L, "retention.ms")));
        assertThat(first.driftTopics()).isEqualTo(1);
        assertThat(second.events()).isEmpty();
        assertThat(second.drifted()).singleElement().satisfies(d -> assertThat(d.previous()).hasValue(override(3_600_000L, "retention.ms")));
        assertThat(watcher.driftTopics()).isEqualTo(1);
        assertThat(watcher.repairsTotal()).isZero();
        assertThat(topicConfig("watch-report", "retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void onlyTheSidecarOfTheLowestLiveBrokerRepairsAndTheOtherSeesTheRepair() throws Exception {
        createTopic("watch-elect", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        RetentionWatcher onBroker1 = watcher(named("watch-elect"), true);
        RetentionWatcher onBroker0 = watcher(named("watch-elect"), true);

        RetentionPass reported = onBroker1.runOnce(admin(), OptionalInt.of(1));
        assertThat(reported.electedRepairer()).isFalse();
        assertThat(reported.election().orElseThrow().repairer()).hasValue(0);
        assertThat(reported.repairs()).isEmpty();
        assertThat(reported.events()).singleElement().satisfies(e -> assertThat(e.detail()).endsWith(
                "; broker 0 is the repairer (lowest live broker id of [0, 1]); this sidecar (broker 1) only reports"));
        assertThat(topicConfig("watch-elect", "retention.ms").value()).isEqualTo("3600000");

        RetentionPass repaired = onBroker0.runOnce(admin(), OptionalInt.of(0));
        assertThat(repaired.repairs()).extracting(RetentionRepair::topic).containsExactly("watch-elect");

        SharedRetentionCluster.awaitTopicConfig("watch-elect", "retention.ms", "-1");
        RetentionPass seen = onBroker1.runOnce(admin(), OptionalInt.of(1));
        assertThat(seen.events()).containsExactly(new RetentionEvent("retention:watch-elect", "DRIFT", "INFINITE",
                "retention.ms was 3600000 (topic override), is now -1 (topic override); "
                        + "retention.bytes unchanged at -1 (topic override)"));
        assertThat(onBroker1.repairsTotal()).isZero();
    }

    @Test
    void whenTheLowestBrokerStopsTheSidecarOfTheNextLowestTakesOverTheRepair() throws Exception {
        createTopic("watch-failover", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        InProcessCluster cluster = SharedRetentionCluster.cluster();
        RetentionWatcher onBroker1 = watcher(named("watch-failover"), true);
        assertThat(onBroker1.runOnce(admin(), OptionalInt.of(1)).repairs()).isEmpty();

        cluster.stopBroker(0);
        try {
            await("broker 0 is no longer live").atMost(Duration.ofSeconds(60))
                    .until(() -> admin().liveBrokers().equals(List.of(1)));

            RetentionPass pass = onBroker1.runOnce(admin(), OptionalInt.of(1));

            assertThat(pass.electedRepairer()).isTrue();
            assertThat(pass.errors()).isEmpty();
            assertThat(pass.repairs()).extracting(RetentionRepair::topic).containsExactly("watch-failover");
            SharedRetentionCluster.awaitTopicConfig("watch-failover", "retention.ms", "-1");
        } finally {
            cluster.startBroker(0);
            await("broker 0 is live again").atMost(Duration.ofSeconds(60))
                    .until(() -> admin().liveBrokers().equals(List.of(0, 1)));
        }
    }

    @Test
    void aNewTopicMatchingTheRegexIsCoveredAtTheNextPass() throws Exception {
        RetentionWatcher watcher = watcher(new TopicSelection(List.of(), Optional.of(Pattern.compile("wnew-.*")),
                Set.of()), true);
        RetentionPass before = watcher.runOnce(admin(), OptionalInt.of(0));
        assertThat(before.topics()).isEmpty();

        createTopic("wnew-1", Map.of());
        RetentionPass after = watcher.runOnce(admin(), OptionalInt.of(0));

        assertThat(after.repairs()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("wnew-1");
            assertThat(r.changes()).extracting(ConfigChange::key).containsExactly("retention.ms", "retention.bytes");
        });
        assertThat(after.events()).extracting(RetentionEvent::previousState, RetentionEvent::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "DRIFT"),
                org.assertj.core.groups.Tuple.tuple("DRIFT", "INFINITE"));
        SharedRetentionCluster.awaitTopicConfig("wnew-1", "retention.ms", "-1");
        SharedRetentionCluster.awaitTopicConfig("wnew-1", "retention.bytes", "-1");
    }

    @Test
    void aNamedTopicThatDoesNotExistIsAnErrorOfThePassNotAnException() {
        createTopicQuietly("watch-exists");
        RetentionPass pass = watcher(named("watch-exists", "watch-missing"), true).runOnce(admin(), OptionalInt.of(0));

        assertThat(pass.errors()).containsExactly(
                "Topic 'watch-missing' named in retention.topics does not exist (or the client's principal lacks "
                        + "Describe on it); remove it or create the topic.");
        assertThat(pass.topics()).extracting(TopicAssessment::topic).containsExactly("watch-exists");
    }

    private static void createTopicQuietly(String topic) {
        try {
            createTopic(topic, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
