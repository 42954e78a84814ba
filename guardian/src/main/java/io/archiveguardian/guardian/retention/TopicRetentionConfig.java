package io.archiveguardian.guardian.retention;

import java.util.List;

/**
 * What the planner needs to know about one topic, as described by the cluster.
 *
 * @param cleanupPolicy       the entries of {@code cleanup.policy} ({@code delete}, {@code compact})
 * @param remoteStorage       {@code remote.storage.enable}: the topic uses tiered storage
 * @param localRetentionMs    {@code local.retention.ms} (-2: same as retention.ms)
 * @param localRetentionBytes {@code local.retention.bytes} (-2: same as retention.bytes)
 */
public record TopicRetentionConfig(
        String topic,
        RetentionValue retentionMs,
        RetentionValue retentionBytes,
        List<String> cleanupPolicy,
        boolean remoteStorage,
        RetentionValue localRetentionMs,
        RetentionValue localRetentionBytes) {

    public TopicRetentionConfig {
        cleanupPolicy = List.copyOf(cleanupPolicy);
    }

    public boolean deletes() {
        return cleanupPolicy.contains("delete");
    }

    public boolean compacts() {
        return cleanupPolicy.contains("compact");
    }
}
