package io.archiveguardian.guardian.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, per topic, whether its retention is infinite and what apply would change. Pure: configs
 * in, assessments out.
 *
 * <p>Only plain delete-policy topics are ever changed. Compact-only topics and tiered-storage topics
 * get an explanation instead, because "infinite" means something else there.
 */
public final class RetentionPlanner {

    static final String RETENTION_MS = "retention.ms";
    static final String RETENTION_BYTES = "retention.bytes";
    /** Kafka's value of local.retention.* meaning "the same as retention.*". */
    static final long SAME_AS_TOTAL = -2L;

    private RetentionPlanner() {
    }

    public static RetentionPlan plan(List<TopicRetentionConfig> configs) {
        return plan(configs, List.of());
    }

    /** Plans with every live broker's own defaults: an inherited value is judged on the worst broker. */
    public static RetentionPlan plan(List<TopicRetentionConfig> configs, List<BrokerRetention> brokers) {
        return new RetentionPlan(configs.stream()
                .sorted(Comparator.comparing(TopicRetentionConfig::topic))
                .map(c -> BrokerRetention.worstCase(c, brokers))
                .map(RetentionPlanner::assess)
                .toList());
    }

    public static TopicAssessment assess(TopicRetentionConfig c) {
        boolean finite = !c.retentionMs().infinite() || !c.retentionBytes().infinite();
        List<String> notes = new ArrayList<>();
        if (!c.deletes()) {
            notes.add(compactedNote(c));
            return new TopicAssessment(c.topic(), TopicStatus.COMPACTED, c.retentionMs(), c.retentionBytes(), List.of(), notes);
        }
        if (c.remoteStorage()) {
            notes.add(tieredNote(c, finite));
            return new TopicAssessment(c.topic(), finite ? TopicStatus.REVIEW : TopicStatus.INFINITE,
                    c.retentionMs(), c.retentionBytes(), List.of(), notes);
        }
        if (c.compacts()) {
            notes.add("cleanup.policy=compact,delete: infinite retention stops deletion by time and size, "
                    + "but compaction still replaces older records of a key by the latest one.");
        }
        if (c.localRetentionMs().source() == ValueSource.TOPIC_OVERRIDE
                || c.localRetentionBytes().source() == ValueSource.TOPIC_OVERRIDE) {
            notes.add("local.retention.* is set on this topic but remote.storage.enable=false: it has no effect.");
        }
        if (!finite) {
            if (c.retentionMs().source().inherited() || c.retentionBytes().source().inherited()) {
                notes.add("infinite by inheritance: a later finite broker default would change it; "
                        + "'guardian retention apply' pins it only when it drifts.");
            }
            return new TopicAssessment(c.topic(), TopicStatus.INFINITE, c.retentionMs(), c.retentionBytes(), List.of(), notes);
        }
        if ((c.retentionMs().source().inherited() && !c.retentionMs().infinite())
                || (c.retentionBytes().source().inherited() && !c.retentionBytes().infinite())) {
            notes.add("inherits a finite value from the brokers: the topic has no override of its own, "
                    + "so the broker default deletes its data.");
        }
        List<ConfigChange> changes = new ArrayList<>();
        addPin(changes, RETENTION_MS, c.retentionMs());
        addPin(changes, RETENTION_BYTES, c.retentionBytes());
        return new TopicAssessment(c.topic(), TopicStatus.DRIFT, c.retentionMs(), c.retentionBytes(), changes, notes);
    }

    private static void addPin(List<ConfigChange> changes, String key, RetentionValue value) {
        if (!value.pinnedInfinite()) {
            changes.add(new ConfigChange(key, value, RetentionValue.INFINITE));
        }
    }

    private static String compactedNote(TopicRetentionConfig c) {
        if (c.compacts()) {
            return "cleanup.policy=compact: retention.ms and retention.bytes delete nothing here. Compaction keeps "
                    + "the latest record per key and removes older ones (and tombstones after delete.retention.ms), "
                    + "so the full history is not kept whatever the retention. Not changed.";
        }
        return "cleanup.policy is empty: Kafka neither deletes nor compacts this topic, so it keeps everything "
                + "regardless of retention.*. Not changed.";
    }

    private static String tieredNote(TopicRetentionConfig c, boolean finite) {
        String local = "local.retention.ms=" + c.localRetentionMs().value()
                + ", local.retention.bytes=" + c.localRetentionBytes().value();
        if (finite) {
            return "tiered storage (remote.storage.enable=true): retention.ms/retention.bytes bound the whole log, "
                    + "local and remote, so this topic deletes data from remote storage too. Infinite here means "
                    + "retention.ms=-1 and retention.bytes=-1 with a finite local.retention.* (" + local + ") so "
                    + "the local disk keeps only the recent part. Not rewritten automatically: review the tiering "
                    + "setup and set it with kafka-configs.sh --alter --add-config retention.ms=-1,retention.bytes=-1.";
        }
        boolean localInfinite = localInfinite(c.localRetentionMs()) && localInfinite(c.localRetentionBytes());
        if (localInfinite) {
            return "tiered storage (remote.storage.enable=true): the whole log is kept, but local.retention.* is "
                    + "infinite too (" + local + "; -2 means the same as retention.*), so the local disk also keeps "
                    + "everything, as if tiering were off. Set a finite local.retention.ms to let the disk shed "
                    + "segments that are already in remote storage.";
        }
        return "tiered storage (remote.storage.enable=true): the whole log is kept in remote storage; the local disk "
                + "keeps only the recent part (" + local + ").";
    }

    private static boolean localInfinite(RetentionValue v) {
        return v.value() == RetentionValue.INFINITE || v.value() == SAME_AS_TOTAL;
    }
}
