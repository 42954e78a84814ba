package io.archiveguardian.guardian.retention;

import java.util.List;

/**
 * The planner's verdict on one topic: its status, the effective values, what apply would change
 * (empty for every status but {@link TopicStatus#DRIFT}) and explanations for the operator.
 */
public record TopicAssessment(
        String topic,
        TopicStatus status,
        RetentionValue retentionMs,
        RetentionValue retentionBytes,
        List<ConfigChange> changes,
        List<String> notes) {

    public TopicAssessment {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }
}
