package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.config.GuardianConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the retention keys of the guardian's configuration. */
public final class RetentionSettings {

    private RetentionSettings() {
    }

    public static TopicSelection selection(GuardianConfig config) {
        List<String> names = clean(config.getList(GuardianConfig.RETENTION_TOPICS));
        String regex = config.getString(GuardianConfig.RETENTION_TOPICS_REGEX).trim();
        Set<String> exclude = Set.copyOf(clean(config.getList(GuardianConfig.RETENTION_TOPICS_EXCLUDE)));
        Set<String> guardianTopics = Set.copyOf(List.of(config.getString(GuardianConfig.CLUSTER_HEARTBEAT_TOPIC),
                config.getString(GuardianConfig.CLUSTER_EVENTS_TOPIC), config.getString(GuardianConfig.CLUSTER_PLACEMENT_TOPIC)));
        return new TopicSelection(names, regex.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(regex)), exclude,
                guardianTopics);
    }

    private static List<String> clean(List<String> values) {
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
