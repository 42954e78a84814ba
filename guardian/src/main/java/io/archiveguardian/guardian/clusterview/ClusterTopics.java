package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The guardian's own topics and the configs it creates them with (docs/cluster-view.md). Heartbeats
 * and placement are compacted and keyed by broker id, with the same partition count so that one
 * Streams task reads both for the same broker; events are deleted after
 * {@code cluster.events.retention.ms}. Replication follows the cluster: min(3, brokers).
 */
public record ClusterTopics(String heartbeats, String events, String placement, long eventsRetentionMs) {

    public static final int PARTITIONS = 12;

    public static ClusterTopics from(GuardianConfig config) {
        return new ClusterTopics(config.getString(GuardianConfig.CLUSTER_HEARTBEAT_TOPIC),
                config.getString(GuardianConfig.CLUSTER_EVENTS_TOPIC),
                config.getString(GuardianConfig.CLUSTER_PLACEMENT_TOPIC),
                config.getLong(GuardianConfig.CLUSTER_EVENTS_RETENTION_MS));
    }

    public Set<String> names() {
        return Set.copyOf(List.of(heartbeats, events, placement));
    }

    public static short replicationFactor(int brokers) {
        return (short) Math.max(1, Math.min(3, brokers));
    }

    /** The topics as the guardian creates them on a cluster of {@code brokers} brokers. */
    public List<NewTopic> newTopics(int brokers) {
        short rf = replicationFactor(brokers);
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "segment.ms", "3600000",
                "min.cleanable.dirty.ratio", "0.1", "delete.retention.ms", "86400000");
        return List.of(
                new NewTopic(heartbeats, PARTITIONS, rf).configs(compacted),
                new NewTopic(placement, PARTITIONS, rf).configs(compacted),
                new NewTopic(events, PARTITIONS, rf).configs(Map.of("cleanup.policy", "delete",
                        "retention.ms", Long.toString(eventsRetentionMs), "segment.ms", "86400000")));
    }

    /**
     * Creates whichever of the topics is missing; each call bounded by {@code timeout}. Returns the
     * broker count (for the replication factor of Streams' own topics).
     *
     * @throws io.archiveguardian.guardian.GuardianException when the cluster does not answer or refuses
     */
    public int ensure(Admin admin, Duration timeout) throws InterruptedException {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        int ms = calls.timeoutMs();
        int brokers = calls.awaitInterruptibly(admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes(),
                "describe the cluster").size();
        Set<String> existing = calls.awaitInterruptibly(admin.listTopics(new ListTopicsOptions().listInternal(true)
                .timeoutMs(ms)).names(), "list the cluster's topics");
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic t : newTopics(brokers)) {
            if (!existing.contains(t.name())) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            calls.awaitUnless(admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(ms)).all(),
                    "create the topics " + missing.stream().map(NewTopic::name).toList(), TopicExistsException.class);
        }
        return brokers;
    }
}
