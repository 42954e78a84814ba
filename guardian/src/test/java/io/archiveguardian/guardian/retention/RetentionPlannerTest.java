package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {

    static RetentionValue override(long v, String key) {
        return new RetentionValue(v, ValueSource.TOPIC_OVERRIDE, key + "=" + v);
    }

    static final RetentionValue KAFKA_DEFAULT_MS = new RetentionValue(604_800_000L, ValueSource.KAFKA_DEFAULT, "log.retention.hours=168");
    static final RetentionValue KAFKA_DEFAULT_BYTES = new RetentionValue(-1L, ValueSource.KAFKA_DEFAULT, "log.retention.bytes=-1");
    static final RetentionValue LOCAL_SAME = new RetentionValue(-2L, ValueSource.KAFKA_DEFAULT, "log.local.retention.ms=-2");

    static TopicRetentionConfig topic(String name, RetentionValue ms, RetentionValue bytes, List<String> policy, boolean remote,
                                      RetentionValue localMs) {
        return new TopicRetentionConfig(name, ms, bytes, policy, remote, localMs, LOCAL_SAME);
    }

    static TopicRetentionConfig plain(String name, RetentionValue ms, RetentionValue bytes) {
        return topic(name, ms, bytes, List.of("delete"), false, LOCAL_SAME);
    }

    @Test
    void aFiniteTopicOverrideIsDriftAndApplyPinsBothValuesToMinusOne() {
        TopicAssessment a = RetentionPlanner.assess(plain("orders", override(86_400_000L, "retention.ms"), KAFKA_DEFAULT_BYTES));

        assertThat(a.status()).isEqualTo(TopicStatus.DRIFT);
        assertThat(a.changes()).extracting(ConfigChange::key, c -> c.current().value(), ConfigChange::newValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("retention.ms", 86_400_000L, -1L),
                        org.assertj.core.groups.Tuple.tuple("retention.bytes", -1L, -1L));
        assertThat(a.changes().get(0).describe())
                .isEqualTo("retention.ms: 86400000 (topic override) -> -1 (topic override)");
    }

    @Test
    void aTopicWithoutOverrideInheritingKafkasSevenDayDefaultIsDriftWithAnExplanation() {
        TopicAssessment a = RetentionPlanner.assess(plain("events", KAFKA_DEFAULT_MS, KAFKA_DEFAULT_BYTES));

        assertThat(a.status()).isEqualTo(TopicStatus.DRIFT);
        assertThat(a.retentionMs().describe()).isEqualTo("604800000 (Kafka default: log.retention.hours=168)");
        assertThat(a.notes()).anySatisfy(n -> assertThat(n).startsWith("inherits a finite value from the brokers"));
    }

    @Test
    void aTopicPinnedAtMinusOneNeedsNoChange() {
        TopicAssessment a = RetentionPlanner.assess(plain("ok", override(-1, "retention.ms"), override(-1, "retention.bytes")));

        assertThat(a.status()).isEqualTo(TopicStatus.INFINITE);
        assertThat(a.changes()).isEmpty();
        assertThat(a.notes()).isEmpty();
    }

    @Test
    void aTopicInfiniteOnlyByInheritanceIsInfiniteButNotChanged() {
        RetentionValue brokerMs = new RetentionValue(-1, ValueSource.STATIC_BROKER, "log.retention.ms=-1");
        TopicAssessment a = RetentionPlanner.assess(plain("inherits", brokerMs, KAFKA_DEFAULT_BYTES));

        assertThat(a.status()).isEqualTo(TopicStatus.INFINITE);
        assertThat(a.changes()).isEmpty();
        assertThat(a.notes()).singleElement().asString().startsWith("infinite by inheritance");
    }

    @Test
    void aCompactOnlyTopicIsExplainedAndNeverChangedEvenWithAFiniteRetention() {
        TopicAssessment a = RetentionPlanner.assess(topic("state", override(1000, "retention.ms"), KAFKA_DEFAULT_BYTES,
                List.of("compact"), false, LOCAL_SAME));

        assertThat(a.status()).isEqualTo(TopicStatus.COMPACTED);
        assertThat(a.status().finite()).isFalse();
        assertThat(a.changes()).isEmpty();
        assertThat(a.notes()).singleElement().asString().startsWith("cleanup.policy=compact: retention.ms and retention.bytes delete nothing here");
    }

    @Test
    void aCompactAndDeleteTopicIsRepairedWithANoteThatCompactionStillRemovesOldVersions() {
        TopicAssessment a = RetentionPlanner.assess(topic("both", override(1000, "retention.ms"), override(-1, "retention.bytes"),
                List.of("compact", "delete"), false, LOCAL_SAME));

        assertThat(a.status()).isEqualTo(TopicStatus.DRIFT);
        assertThat(a.changes()).extracting(ConfigChange::key).containsExactly("retention.ms");
        assertThat(a.notes()).anySatisfy(n -> assertThat(n).startsWith("cleanup.policy=compact,delete"));
    }

    @Test
    void aTieredTopicWithAFiniteTotalRetentionIsForReviewAndNeverRewritten() {
        RetentionValue localMs = override(3_600_000L, "local.retention.ms");
        TopicAssessment a = RetentionPlanner.assess(topic("tiered", override(86_400_000L, "retention.ms"),
                KAFKA_DEFAULT_BYTES, List.of("delete"), true, localMs));

        assertThat(a.status()).isEqualTo(TopicStatus.REVIEW);
        assertThat(a.status().finite()).isTrue();
        assertThat(a.changes()).isEmpty();
        assertThat(a.notes()).singleElement().asString()
                .contains("deletes data from remote storage too")
                .contains("local.retention.ms=3600000, local.retention.bytes=-2")
                .contains("Not rewritten automatically");
    }

    @Test
    void aTieredTopicWithInfiniteTotalButInheritedLocalRetentionWarnsThatTheLocalDiskKeepsEverything() {
        TopicAssessment a = RetentionPlanner.assess(topic("tiered-all-local", override(-1, "retention.ms"),
                override(-1, "retention.bytes"), List.of("delete"), true, LOCAL_SAME));

        assertThat(a.status()).isEqualTo(TopicStatus.INFINITE);
        assertThat(a.notes()).singleElement().asString().contains("the local disk also keeps everything");
    }

    @Test
    void aTieredTopicWithInfiniteTotalAndFiniteLocalRetentionIsTheIntendedSetup() {
        TopicAssessment a = RetentionPlanner.assess(topic("tiered-ok", override(-1, "retention.ms"),
                override(-1, "retention.bytes"), List.of("delete"), true, override(3_600_000L, "local.retention.ms")));

        assertThat(a.status()).isEqualTo(TopicStatus.INFINITE);
        assertThat(a.notes()).singleElement().asString().contains("the local disk keeps only the recent part");
    }

    @Test
    void localRetentionOverridesWithoutRemoteStorageAreFlaggedAsHavingNoEffect() {
        TopicAssessment a = RetentionPlanner.assess(topic("odd", override(-1, "retention.ms"), override(-1, "retention.bytes"),
                List.of("delete"), false, override(1000, "local.retention.ms")));

        assertThat(a.status()).isEqualTo(TopicStatus.INFINITE);
        assertThat(a.notes()).singleElement().asString().contains("it has no effect");
    }

    @Test
    void thePlanIsSortedByTopicAndCountsDriftAndReviewAsFinite() {
        RetentionPlan plan = RetentionPlanner.plan(List.of(
                plain("b", override(1, "retention.ms"), KAFKA_DEFAULT_BYTES),
                plain("a", override(-1, "retention.ms"), override(-1, "retention.bytes")),
                topic("c", override(1, "retention.ms"), KAFKA_DEFAULT_BYTES, List.of("delete"), true, LOCAL_SAME),
                topic("d", override(1, "retention.ms"), KAFKA_DEFAULT_BYTES, List.of("compact"), false, LOCAL_SAME)));

        assertThat(plan.topics()).extracting(TopicAssessment::topic).containsExactly("a", "b", "c", "d");
        assertThat(plan.finite()).extracting(TopicAssessment::topic).containsExactly("b", "c");
        assertThat(plan.toChange()).extracting(TopicAssessment::topic).containsExactly("b");
        assertThat(RetentionText.summary(plan))
                .isEqualTo("Summary: 1 drift, 1 review, 1 infinite, 1 compacted; 1 topic(s) to change.");
    }

    @Test
    void anInheritedInfiniteValueIsJudgedOnTheWorstBrokerAndBecomesDrift() {
        RetentionValue answeringBroker = new RetentionValue(-1, ValueSource.STATIC_BROKER, "log.retention.ms=-1");
        BrokerRetention broker0 = new BrokerRetention(0, java.util.Optional.of(answeringBroker), java.util.Optional.empty());
        RetentionValue finite = new RetentionValue(3_600_000L, ValueSource.STATIC_BROKER, "log.retention.hours=1 on broker 1");
        BrokerRetention broker1 = new BrokerRetention(1, java.util.Optional.of(finite), java.util.Optional.empty());

        RetentionPlan plan = RetentionPlanner.plan(List.of(plain("t", answeringBroker, override(-1, "retention.bytes"))),
                List.of(broker0, broker1));

        TopicAssessment a = plan.topics().get(0);
        assertThat(a.status()).isEqualTo(TopicStatus.DRIFT);
        assertThat(a.retentionMs().describe()).isEqualTo("3600000 (static broker config: log.retention.hours=1 on broker 1)");
        assertThat(a.changes()).extracting(ConfigChange::key).containsExactly("retention.ms");
    }

    @Test
    void aTopicOverrideIsNotAffectedByAFiniteBrokerDefault() {
        RetentionValue finite = new RetentionValue(3_600_000L, ValueSource.STATIC_BROKER, "log.retention.hours=1 on broker 1");
        BrokerRetention broker1 = new BrokerRetention(1, java.util.Optional.of(finite), java.util.Optional.of(finite));

        RetentionPlan plan = RetentionPlanner.plan(List.of(plain("t", override(-1, "retention.ms"),
                override(-1, "retention.bytes"))), List.of(broker1));

        assertThat(plan.topics().get(0).status()).isEqualTo(TopicStatus.INFINITE);
    }
}
