package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.InvalidConfigException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RetentionTopicSelectionTest {

    static final List<String> CLUSTER = List.of("archive-orders", "archive-payments", "archive-tmp", "orders",
            "__consumer_offsets", "__transaction_state", "_guardian-heartbeats", "_guardian_events");

    @Test
    void aRegexMatchesWholeNamesMinusExclusionsAndNeverInternalOrGuardianTopics() {
        TopicSelection s = new TopicSelection(List.of(), Optional.of(Pattern.compile(".*")), Set.of("archive-tmp"));

        assertThat(s.select(CLUSTER).topics()).containsExactly("archive-orders", "archive-payments", "orders");
    }

    @Test
    void theRegexMustMatchTheWholeNameNotAPart() {
        TopicSelection s = new TopicSelection(List.of(), Optional.of(Pattern.compile("archive")), Set.of());

        assertThat(s.select(CLUSTER).topics()).isEmpty();
    }

    @Test
    void namesAndRegexAreCombinedAndUnknownNamesAreReported() {
        TopicSelection s = new TopicSelection(List.of("orders", "missing", "__consumer_offsets"),
                Optional.of(Pattern.compile("archive-p.*")), Set.of());

        TopicSelection.Selected selected = s.select(CLUSTER);

        assertThat(selected.topics()).containsExactly("__consumer_offsets", "archive-payments", "orders");
        assertThat(selected.unknownNames()).containsExactly("missing");
    }

    @Test
    void anExclusionWinsOverAnExplicitName() {
        TopicSelection s = new TopicSelection(List.of("orders", "gone"), Optional.empty(), Set.of("orders", "gone"));

        TopicSelection.Selected selected = s.select(CLUSTER);

        assertThat(selected.topics()).isEmpty();
        assertThat(selected.unknownNames()).isEmpty();
    }

    @Test
    void theSelectionIsReadFromTheRetentionKeys() {
        GuardianConfig config = GuardianConfig.of(Map.of(
                GuardianConfig.RETENTION_TOPICS, "orders, payments",
                GuardianConfig.RETENTION_TOPICS_REGEX, "archive-.*",
                GuardianConfig.RETENTION_TOPICS_EXCLUDE, "archive-tmp"));

        TopicSelection s = RetentionSettings.selection(config);

        assertThat(s.names()).containsExactly("orders", "payments");
        assertThat(s.describe()).isEqualTo("names [orders, payments], regex 'archive-.*', excluding [archive-tmp]");
        assertThat(config.getBoolean(GuardianConfig.RETENTION_REPAIR)).isTrue();
    }

    @Test
    void anInvalidRegexIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of(GuardianConfig.RETENTION_TOPICS_REGEX, "archive-(")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("configuration: retention.topics.regex=archive-(: "
                        + "not a valid regular expression: Unclosed group near index 9");
    }
}
