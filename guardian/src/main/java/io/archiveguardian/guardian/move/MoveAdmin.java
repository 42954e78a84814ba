package io.archiveguardian.guardian.move;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.AlterReplicaLogDirsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeLogDirsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The thin Admin side of moving replicas between the log dirs of one broker: where its replicas are
 * (describeLogDirs, futures included), the move itself (alterReplicaLogDirs) and the copy throttle
 * ({@code replica.alter.log.dirs.io.max.bytes.per.second}, a per-broker dynamic config). Every wait
 * is bounded by {@code admin.timeout.ms}; every failure is a {@link GuardianException} that says
 * what was asked.
 */
final class MoveAdmin {

    static final String THROTTLE = "replica.alter.log.dirs.io.max.bytes.per.second";

    private final Admin admin;
    private final int brokerId;
    private final AdminCalls calls;

    MoveAdmin(Admin admin, int brokerId, Duration timeout) {
        this.admin = admin;
        this.brokerId = brokerId;
        this.calls = new AdminCalls(timeout, "admin.timeout.ms");
    }

    /** Each log dir of the broker, as the broker names it, with its replicas (futures included). */
    Map<String, LogDirDescription> describeLogDirs() {
        Map<Integer, Map<String, LogDirDescription>> all = calls.await(admin.describeLogDirs(List.of(brokerId),
                        new DescribeLogDirsOptions().timeoutMs(calls.timeoutMs())).allDescriptions(),
                "describe the log dirs of broker " + brokerId, AdminCalls.Permission.of("Describe", "the cluster"));
        return all.getOrDefault(brokerId, Map.of());
    }

    /**
     * Asks the broker to move each replica to the log dir given (as the broker names it). Returns, per
     * replica, empty when the broker accepted it or the reason it refused.
     */
    Map<TopicPartitionReplica, Optional<String>> alterReplicaLogDirs(Map<TopicPartitionReplica, String> moves) {
        Map<TopicPartitionReplica, Optional<String>> out = new LinkedHashMap<>();
        if (moves.isEmpty()) {
            return out;
        }
        var futures = admin.alterReplicaLogDirs(moves, new AlterReplicaLogDirsOptions().timeoutMs(calls.timeoutMs())).values();
        moves.keySet().forEach(r -> out.put(r, Optional.empty()));
        calls.awaitEach(futures, r -> "move " + r.topic() + "-" + r.partition() + " of broker " + brokerId + " to " + moves.get(r),
                r -> AdminCalls.Permission.of("Alter", "the cluster"), (r, e) -> out.put(r, Optional.of(e.getMessage())));
        return out;
    }

    /** The broker's current copy throttle, empty when unset (Kafka's default: no limit). */
    Optional<Long> throttle() {
        ConfigResource broker = resource();
        Map<ConfigResource, Config> configs = calls.await(admin.describeConfigs(List.of(broker),
                        new DescribeConfigsOptions().timeoutMs(calls.timeoutMs())).all(),
                "describe the config of broker " + brokerId, AdminCalls.Permission.of("DescribeConfigs", "the cluster"));
        Config config = configs.get(broker);
        ConfigEntry entry = config == null ? null : config.get(THROTTLE);
        if (entry == null || entry.value() == null || entry.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(entry.value()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Sets the copy throttle as a per-broker dynamic config. */
    void setThrottle(long bytesPerSecond) {
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry(THROTTLE, Long.toString(bytesPerSecond)), AlterConfigOp.OpType.SET);
        calls.await(admin.incrementalAlterConfigs(Map.of(resource(), List.of(op)),
                        new AlterConfigsOptions().timeoutMs(calls.timeoutMs())).all(),
                "set " + THROTTLE + "=" + bytesPerSecond + " on broker " + brokerId,
                AdminCalls.Permission.of("AlterConfigs", "the cluster"));
    }

    private ConfigResource resource() {
        return new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(brokerId));
    }
}
