package io.archiveguardian.guardian.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** What happened to one topic's planned changes: applied, or the failure that stopped them. */
public record TopicApplyResult(String topic, List<ConfigChange> changes, Optional<AdminFailure> failure) {

    public TopicApplyResult {
        changes = List.copyOf(changes);
    }

    @JsonProperty("applied")
    public boolean applied() {
        return failure.isEmpty();
    }
}
