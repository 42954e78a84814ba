package io.archiveguardian.guardian.retention;

import java.util.Optional;

/**
 * One finite retention value found in a pass.
 *
 * @param previous the value this watcher saw at its previous pass; empty at the first sight
 * @param current  the value now, with its source
 */
public record RetentionDrift(String topic, TopicStatus status, String key, Optional<RetentionValue> previous,
                             RetentionValue current) {
}
