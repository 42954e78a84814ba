package io.archiveguardian.guardian.retention;

import static io.archiveguardian.guardian.retention.RetentionPlannerTest.KAFKA_DEFAULT_BYTES;
import static io.archiveguardian.guardian.retention.RetentionPlannerTest.override;
import static io.archiveguardian.guardian.retention.RetentionPlannerTest.plain;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetentionEventsTest {

    static final TopicAssessment PINNED = RetentionPlanner.assess(
            plain("t", override(-1, "retention.ms"), override(-1, "retention.bytes")));
    static final TopicAssessment ONE_DAY = RetentionPlanner.assess(
            plain("t", override(86_400_000L, "retention.ms"), override(-1, "retention.bytes")));
    static final TopicAssessment TWO_DAYS = RetentionPlanner.assess(
            plain("t", override(172_800_000L, "retention.ms"), override(-1, "retention.bytes")));

    @Test
    void driftFromInfiniteSaysWhatTheValueWasAndWhatItIsNow() {
        RetentionEvent e = RetentionWatcher.transition(PINNED, ONE_DAY, "repairing now").orElseThrow();

        assertThat(e).isEqualTo(new RetentionEvent("retention:t", "INFINITE", "DRIFT",
                "retention.ms was -1 (topic override), is now 86400000 (topic override); "
                        + "retention.bytes unchanged at -1 (topic override); repairing now"));
    }

    @Test
    void aTopicThatStaysInfiniteProducesNoEvent() {
        assertThat(RetentionWatcher.transition(PINNED, PINNED, "x")).isEmpty();
    }

    @Test
    void aTopicThatStaysInTheSameDriftProducesNoEventButANewFiniteValueDoes() {
        assertThat(RetentionWatcher.transition(ONE_DAY, ONE_DAY, "x")).isEmpty();
        assertThat(RetentionWatcher.transition(ONE_DAY, TWO_DAYS, "report only").orElseThrow().detail())
                .startsWith("retention.ms was 86400000 (topic override), is now 172800000 (topic override)");
    }

    @Test
    void theFirstSightOfADriftedTopicIsAnEventWithoutPreviousStateButAnInfiniteOneIsNot() {
        TopicAssessment inherited = RetentionPlanner.assess(plain("t", RetentionPlannerTest.KAFKA_DEFAULT_MS, KAFKA_DEFAULT_BYTES));

        assertThat(RetentionWatcher.transition(null, PINNED, "x")).isEmpty();
        assertThat(RetentionWatcher.transition(null, inherited, "report only (retention.repair=false)").orElseThrow())
                .isEqualTo(new RetentionEvent("retention:t", null, "DRIFT",
                        "retention.ms is 604800000 (Kafka default: log.retention.hours=168), retention.bytes is "
                                + "-1 (Kafka default: log.retention.bytes=-1); report only (retention.repair=false)"));
    }

    @Test
    void aRepairSeenFromAnotherSidecarIsADriftToInfiniteEvent() {
        RetentionEvent e = RetentionWatcher.transition(ONE_DAY, PINNED, "x").orElseThrow();

        assertThat(e.previousState()).isEqualTo("DRIFT");
        assertThat(e.state()).isEqualTo("INFINITE");
        assertThat(e.detail()).isEqualTo("retention.ms was 86400000 (topic override), is now -1 (topic override); "
                + "retention.bytes unchanged at -1 (topic override)");
    }
}
