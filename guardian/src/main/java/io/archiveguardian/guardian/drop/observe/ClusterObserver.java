package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DiskPressure;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.PartitionState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.disk.PressureThresholds;
import io.archiveguardian.guardian.cluster.AdminCalls;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Builds a {@link ClusterSnapshot} from a live cluster with the Admin API: live brokers
 * ({@code describeCluster}), partitions with ISR and ELR ({@code describeTopics}), each topic's
 * {@code min.insync.replicas} ({@code describeConfigs}), reassignments in progress and the log dirs
 * of every live broker ({@code describeLogDirs}). A stopped broker has no log dirs in the snapshot:
 * add them from {@link LocalLogDirScanner} with {@link ClusterSnapshot#withLogDirsOf}.
 *
 * <p>Each log dir's disk pressure comes from the totals {@code describeLogDirs} reports (KIP-827:
 * {@code totalBytes}, {@code usableBytes}), judged with the guardian's own thresholds
 * ({@link LogDirPressure}), so another broker's critical disk is known without its sidecar or the
 * cluster view. A log dir without totals stays {@link DiskPressure#UNKNOWN}. A broker whose log dirs
 * do not answer contributes none: its copies then count as on no online log dir, never as confirmed.
 */
public final class ClusterObserver {

    private final Admin admin;
    private final AdminCalls calls;
    private final Clock clock;
    private final PressureThresholds thresholds;

    /** With the default pressure thresholds; the guardian's commands pass their configured ones. */
    public ClusterObserver(Admin admin, Duration timeout, Clock clock) {
        this(admin, timeout, clock, PressureThresholds.DEFAULTS);
    }

    /** @param thresholds the levels the guardian judges its own disks with ({@code pressure.*}) */
    public ClusterObserver(Admin admin, Duration timeout, Clock clock, PressureThresholds thresholds) {
        this.admin = admin;
        this.calls = new AdminCalls(timeout, "");
        this.clock = clock;
        this.thresholds = thresholds;
    }

    /** @throws GuardianException (exit code 1) when the cluster does not answer within the timeout */
    public ClusterSnapshot observe() {
        Set<Integer> live = new TreeSet<>();
        for (Node node : get(admin.describeCluster().nodes(), "describe the cluster")) {
            live.add(node.id());
        }
        Set<String> topics = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
        Map<String, TopicDescription> descriptions = get(admin.describeTopics(topics).allTopicNames(), "describe topics");
        Map<String, Integer> minIsr = minInsyncReplicas(topics);
        Set<TopicPartition> reassigning = get(admin.listPartitionReassignments().reassignments(),
                "list partition reassignments").keySet();
        List<PartitionState> partitions = new ArrayList<>();
        for (TopicDescription topic : descriptions.values()) {
            for (TopicPartitionInfo info : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), info.partition());
                partitions.add(new PartitionState(tp, ids(info.replicas()), ids(info.isr()), ids(info.elr()),
                        ids(info.lastKnownElr()), minIsr.getOrDefault(topic.name(), 1), reassigning.contains(tp)));
            }
        }
        return ClusterSnapshot.of(clock.instant(), live, partitions, logDirs(live));
    }

    private Map<String, Integer> minInsyncReplicas(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), "describe topic configs");
        Map<String, Integer> result = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            if (entry != null && entry.value() != null) {
                result.put(resource.name(), Integer.parseInt(entry.value()));
            }
        });
        return result;
    }

    private List<LogDirState> logDirs(Set<Integer> live) {
        Map<Integer, KafkaFuture<Map<String, LogDirDescription>>> perBroker = admin.describeLogDirs(live).descriptions();
        List<LogDirState> dirs = new ArrayList<>();
        for (var entry : perBroker.entrySet()) {
            int broker = entry.getKey();
            Map<String, LogDirDescription> described;
            try {
                described = get(entry.getValue(), "describe the log dirs of broker " + broker);
            } catch (GuardianException e) {
                continue; // its copies then count as not on an online log dir, with the reason stated
            }
            described.forEach((path, d) -> dirs.add(toState(broker, path, d, thresholds)));
        }
        return dirs;
    }

    private static LogDirState toState(int broker, String path, LogDirDescription d, PressureThresholds thresholds) {
        if (d.error() != null) {
            return LogDirState.offline(broker, path);
        }
        List<ReplicaOnDisk> replicas = new ArrayList<>(d.replicaInfos().size());
        for (Map.Entry<TopicPartition, ReplicaInfo> r : d.replicaInfos().entrySet()) {
            replicas.add(new ReplicaOnDisk(r.getKey(), r.getValue().size(), r.getValue().isFuture()));
        }
        long usable = d.usableBytes().orElse(0);
        long total = d.totalBytes().orElse(0);
        DiskPressure pressure = d.totalBytes().isPresent() && d.usableBytes().isPresent()
                ? LogDirPressure.of(total, usable, thresholds) : DiskPressure.UNKNOWN;
        return new LogDirState(broker, path, true, usable, total, pressure, replicas, d.isCordoned());
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes == null ? List.of() : nodes.stream().map(Node::id).toList();
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        return calls.await(future, what);
    }
}
