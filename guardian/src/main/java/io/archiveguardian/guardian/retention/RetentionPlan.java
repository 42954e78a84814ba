package io.archiveguardian.guardian.retention;

import java.util.List;

/** The assessments of all selected topics, in topic name order. */
public record RetentionPlan(List<TopicAssessment> topics) {

    public RetentionPlan {
        topics = List.copyOf(topics);
    }

    /** The topics apply would alter. */
    public List<TopicAssessment> toChange() {
        return topics.stream().filter(t -> !t.changes().isEmpty()).toList();
    }

    /** The topics whose records can be deleted by retention (drift and review). */
    public List<TopicAssessment> finite() {
        return topics.stream().filter(t -> t.status().finite()).toList();
    }

    public long count(TopicStatus status) {
        return topics.stream().filter(t -> t.status() == status).count();
    }
}
