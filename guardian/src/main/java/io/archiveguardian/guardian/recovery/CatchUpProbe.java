package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Asks the cluster what a stopped broker will fetch when it starts: for every partition with a
 * replica on this broker and a leader elsewhere, the leader's log size (describeLogDirs) minus the
 * local log size. A partition assigned here with no local directory counts in full (Kafka
 * re-creates it at start-up and fetches everything).
 */
public final class CatchUpProbe {

    private CatchUpProbe() {
    }

    /**
     * @param localLogBytes .log bytes per partition found in this broker's log dirs
     * @throws CatchUpUnavailableException when the cluster does not answer within the timeout or refuses
     */
    public static ClusterCatchUp fromCluster(Admin admin, int brokerId, Map<TopicPartition, Long> localLogBytes, Duration timeout) {
        return fromCluster(admin, brokerId, localLogBytes, new AdminCalls(timeout, ""));
    }

    /**
     * As {@link #fromCluster(Admin, int, Map, Duration)}, each call bounded by {@code calls}' timeout.
     *
     * @throws CatchUpUnavailableException when the cluster does not answer within the timeout or refuses
     */
    public static ClusterCatchUp fromCluster(Admin admin, int brokerId, Map<TopicPartition, Long> localLogBytes, AdminCalls calls) {
        try {
            Set<String> topics = calls.await(admin.listTopics(new ListTopicsOptions().listInternal(true)
                    .timeoutMs(calls.timeoutMs())).names(), "list the cluster's topics");
            Map<String, TopicDescription> described = topics.isEmpty() ? Map.of()
                    : calls.await(admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(calls.timeoutMs()))
                    .allTopicNames(), "describe the cluster's topics");
            Map<TopicPartition, Integer> leaderOf = new HashMap<>();
            int leaderless = 0;
            for (TopicDescription topic : described.values()) {
                for (TopicPartitionInfo p : topic.partitions()) {
                    boolean hostedHere = p.replicas().stream().anyMatch(n -> n.id() == brokerId);
                    if (!hostedHere) {
                        continue;
                    }
                    Node leader = p.leader();
                    if (leader == null || leader.isEmpty()) {
                        leaderless++;
                    } else if (leader.id() != brokerId) {
                        leaderOf.put(new TopicPartition(topic.name(), p.partition()), leader.id());
                    }
                }
            }
            Set<Integer> leaders = new HashSet<>(leaderOf.values());
            Map<Integer, Map<String, LogDirDescription>> dirs = leaders.isEmpty() ? Map.of()
                    : calls.await(admin.describeLogDirs(leaders).allDescriptions(), "describe the log dirs of brokers " + leaders);
            return catchUp(leaderOf, dirs, localLogBytes, leaderless);
        } catch (GuardianException e) {
            throw new CatchUpUnavailableException(e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
    }

    static ClusterCatchUp catchUp(Map<TopicPartition, Integer> leaderOf, Map<Integer, Map<String, LogDirDescription>> dirs,
                                  Map<TopicPartition, Long> localLogBytes, int leaderless) {
        Map<TopicPartition, Long> gaps = new HashMap<>();
        Set<TopicPartition> missing = new HashSet<>();
        for (Map.Entry<TopicPartition, Integer> e : leaderOf.entrySet()) {
            long leaderSize = leaderSize(dirs.getOrDefault(e.getValue(), Map.of()), e.getKey());
            Long local = localLogBytes.get(e.getKey());
            if (local == null) {
                missing.add(e.getKey());
            }
            gaps.put(e.getKey(), Math.max(0, leaderSize - (local == null ? 0 : local)));
        }
        return new ClusterCatchUp(gaps, missing, leaderless);
    }

    /**
     * What the cluster says this broker must fetch, per partition it follows.
     *
     * @param missingLocally followed partitions with no local directory (fetched in full)
     * @param leaderless     partitions hosted here that have no leader now (not counted)
     */
    public record ClusterCatchUp(Map<TopicPartition, Long> gaps, Set<TopicPartition> missingLocally, int leaderless) {

        public ClusterCatchUp {
            gaps = Map.copyOf(gaps);
            missingLocally = Set.copyOf(missingLocally);
        }

        public long totalBytes() {
            return gaps.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The catch-up of the partitions {@code here} accepts, with how it was reached. */
        public CatchUp of(java.util.function.Predicate<TopicPartition> here) {
            long total = 0;
            int behind = 0;
            int followed = 0;
            int missing = 0;
            TopicPartition largest = null;
            long largestBytes = 0;
            for (Map.Entry<TopicPartition, Long> e : gaps.entrySet()) {
                if (!here.test(e.getKey())) {
                    continue;
                }
                followed++;
                if (missingLocally.contains(e.getKey())) {
                    missing++;
                }
                long gap = e.getValue();
                if (gap > 0) {
                    behind++;
                    total += gap;
                    if (gap > largestBytes) {
                        largestBytes = gap;
                        largest = e.getKey();
                    }
                }
            }
            StringBuilder detail = new StringBuilder(String.format("%d of %d followed partitions are behind their leaders",
                    behind, followed));
            if (largest != null) {
                detail.append(", most ").append(largest).append(" by ").append(Sizes.human(largestBytes));
            }
            if (missing > 0) {
                detail.append("; ").append(missing).append(" have no local directory and are fetched in full");
            }
            if (leaderless > 0) {
                detail.append("; ").append(leaderless).append(" partitions of this broker have no leader now and are not counted");
            }
            return new CatchUp(total, CatchUp.Source.ADMIN, detail.toString());
        }
    }

    private static long leaderSize(Map<String, LogDirDescription> dirs, TopicPartition tp) {
        long size = 0;
        for (LogDirDescription dir : dirs.values()) {
            ReplicaInfo info = dir.replicaInfos().get(tp);
            if (info != null && !info.isFuture()) {
                size = Math.max(size, info.size());
            }
        }
        return size;
    }

    /** Thrown when the cluster cannot say; callers fall back to an estimate. */
    public static final class CatchUpUnavailableException extends RuntimeException {
        CatchUpUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
