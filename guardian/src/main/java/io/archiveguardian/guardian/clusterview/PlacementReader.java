package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeLogDirsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** Reads one broker's replica placement from the Admin API: its log dirs' replicas and their replica sets. */
final class PlacementReader {

    private PlacementReader() {
    }

    /** @throws io.archiveguardian.guardian.GuardianException when the cluster does not answer or refuses */
    static Placement read(Admin admin, int brokerId, Duration timeout, Instant now) throws InterruptedException {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        int ms = calls.timeoutMs();
        Map<Integer, Map<String, LogDirDescription>> dirs = calls.awaitInterruptibly(admin
                .describeLogDirs(List.of(brokerId), new DescribeLogDirsOptions().timeoutMs(ms))
                .allDescriptions(), "describe the log dirs of broker " + brokerId);
        Map<String, LogDirDescription> mine = dirs.getOrDefault(brokerId, Map.of());
        Set<String> topics = new TreeSet<>();
        mine.values().forEach(d -> d.replicaInfos().keySet().forEach(tp -> topics.add(tp.topic())));
        Map<String, TopicDescription> described = topics.isEmpty() ? Map.of()
                : calls.awaitInterruptibly(admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(ms))
                .allTopicNames(), "describe the topics of broker " + brokerId + "'s replicas");
        List<Placement.Replica> replicas = new ArrayList<>();
        for (Map.Entry<String, LogDirDescription> dir : mine.entrySet()) {
            for (TopicPartition tp : dir.getValue().replicaInfos().keySet()) {
                TopicDescription t = described.get(tp.topic());
                List<Integer> set = t == null ? List.of(brokerId) : t.partitions().stream()
                        .filter(p -> p.partition() == tp.partition()).findFirst()
                        .map(TopicPartitionInfo::replicas).orElse(List.of()).stream().map(Node::id).toList();
                replicas.add(new Placement.Replica(tp.topic(), tp.partition(), dir.getKey(), set));
            }
        }
        replicas.sort(Comparator.comparing(Placement.Replica::topic).thenComparingInt(Placement.Replica::partition));
        return new Placement(brokerId, now, replicas);
    }
}
