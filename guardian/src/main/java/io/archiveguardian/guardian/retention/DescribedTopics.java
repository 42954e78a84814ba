package io.archiveguardian.guardian.retention;

import java.util.List;

/** The configs that could be described, and a failure for each topic that could not. */
public record DescribedTopics(List<TopicRetentionConfig> configs, List<AdminFailure> failures) {

    public DescribedTopics {
        configs = List.copyOf(configs);
        failures = List.copyOf(failures);
    }
}
