package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardianTopicsAreNotArchivesTest {

    @Test
    void theClusterViewTopicsAreNeverSelectedWhateverTheyAreCalled() {
        TopicSelection selection = RetentionSettings.selection(GuardianConfig.of(Map.of(
                "retention.topics.regex", ".*",
                "retention.topics", "hb,orders",
                "cluster.heartbeat.topic", "hb",
                "cluster.events.topic", "guardian-events",
                "cluster.placement.topic", "placement")));

        TopicSelection.Selected selected = selection.select(List.of("hb", "guardian-events", "placement", "orders", "payments"));

        assertThat(selected.topics()).containsExactly("orders", "payments");
        assertThat(selected.unknownNames()).isEmpty();
    }

    @Test
    void theDefaultNamesAreExcludedToo() {
        TopicSelection selection = RetentionSettings.selection(GuardianConfig.of(Map.of(
                "retention.topics", "__guardian_heartbeats,__guardian_events,__guardian_placement,archive")));
        assertThat(selection.select(List.of("__guardian_heartbeats", "__guardian_events", "__guardian_placement", "archive"))
                .topics()).containsExactly("archive");
    }
}
