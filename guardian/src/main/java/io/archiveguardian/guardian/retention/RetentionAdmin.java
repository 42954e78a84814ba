package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.cluster.AdminCalls.Permission;
import io.archiveguardian.guardian.config.GuardianConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The Admin API calls of the retention capability, each bounded by the Admin timeout and waited
 * for through {@link AdminCalls}: a failure names the call, the resource and (for a cluster that
 * does not answer) the bootstrap servers; a per-topic failure is kept as an {@link AdminFailure}.
 */
public final class RetentionAdmin {

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;
    private final AdminCalls calls;

    public RetentionAdmin(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS, bootstrapServers);
    }

    /** All topic names, internal ones included; an exception with the failure explained otherwise. */
    public Set<String> topicNames() {
        return calls.await(admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(timeoutMs())).names(),
                "list the cluster's topics", Permission.of("Describe", "the cluster's topics"));
    }

    /** The ids of the live (registered, unfenced) brokers. */
    public List<Integer> liveBrokers() {
        Collection<Node> nodes = calls.await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs())).nodes(),
                "describe the cluster", Permission.of("Describe", "the cluster"));
        return nodes.stream().map(Node::id).sorted().toList();
    }

    public DescribedTopics describe(Collection<String> topics) {
        Map<String, ConfigResource> resources = new LinkedHashMap<>();
        new TreeSet<>(topics).forEach(t -> resources.put(t, new ConfigResource(ConfigResource.Type.TOPIC, t)));
        if (resources.isEmpty()) {
            return new DescribedTopics(List.of(), List.of());
        }
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(resources.values(),
                new DescribeConfigsOptions().includeSynonyms(true).timeoutMs(timeoutMs())).values();
        List<AdminFailure> failures = new ArrayList<>();
        Map<String, Config> described = calls.awaitEach(byKey(resources, futures),
                topic -> "describe the config of topic '" + topic + "'",
                topic -> Permission.of("DescribeConfigs", "topic '" + topic + "'"),
                (topic, e) -> failures.add(AdminFailure.of(e, "DescribeConfigs", "topic '" + topic + "'")));
        List<TopicRetentionConfig> configs = new ArrayList<>();
        described.forEach((topic, config) -> {
            try {
                configs.add(toRetentionConfig(topic, config));
            } catch (RuntimeException e) {
                failures.add(AdminFailure.of(calls.failure("describe the config of topic '" + topic + "'", e),
                        "DescribeConfigs", "topic '" + topic + "'"));
            }
        });
        return new DescribedTopics(configs, failures);
    }

    /**
     * Each broker's own retention defaults ({@code describeConfigs} on the broker resources; needs
     * DescribeConfigs on the cluster).
     */
    public DescribedBrokers describeBrokers(Collection<Integer> brokerIds) {
        Map<Integer, ConfigResource> resources = new LinkedHashMap<>();
        new TreeSet<>(brokerIds).forEach(id -> resources.put(id, new ConfigResource(ConfigResource.Type.BROKER, id.toString())));
        if (resources.isEmpty()) {
            return new DescribedBrokers(List.of(), List.of());
        }
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(resources.values(),
                new DescribeConfigsOptions().timeoutMs(timeoutMs())).values();
        List<AdminFailure> failures = new ArrayList<>();
        Map<Integer, Config> described = calls.awaitEach(byKey(resources, futures),
                id -> "describe the config of broker " + id,
                id -> Permission.of("DescribeConfigs", "the cluster"),
                (id, e) -> failures.add(AdminFailure.of(e, "DescribeConfigs", "broker " + id)));
        List<BrokerRetention> brokers = new ArrayList<>();
        described.forEach((id, config) -> {
            try {
                brokers.add(toBrokerRetention(id, config));
            } catch (RuntimeException e) {
                failures.add(AdminFailure.of(calls.failure("describe the config of broker " + id, e),
                        "DescribeConfigs", "broker " + id));
            }
        });
        return new DescribedBrokers(brokers, failures);
    }

    /** The futures of a per-resource call, by the caller's key, in the keys' order. */
    private static <K, T> Map<K, KafkaFuture<T>> byKey(Map<K, ConfigResource> resources,
                                                        Map<ConfigResource, KafkaFuture<T>> futures) {
        Map<K, KafkaFuture<T>> byKey = new LinkedHashMap<>();
        resources.forEach((key, resource) -> byKey.put(key, futures.get(resource)));
        return byKey;
    }

    static BrokerRetention toBrokerRetention(int brokerId, Config config) {
        return new BrokerRetention(brokerId,
                brokerValue(brokerId, config, List.of(Map.entry("log.retention.ms", 1L),
                        Map.entry("log.retention.minutes", 60_000L), Map.entry("log.retention.hours", 3_600_000L))),
                brokerValue(brokerId, config, List.of(Map.entry("log.retention.bytes", 1L))));
    }

    /** The first key that is set, in Kafka's precedence, converted to the topic's unit; negative means -1. */
    private static Optional<RetentionValue> brokerValue(int brokerId, Config config, List<Map.Entry<String, Long>> keys) {
        for (Map.Entry<String, Long> key : keys) {
            ConfigEntry e = config.get(key.getKey());
            if (e == null || e.value() == null || e.value().isBlank()) {
                continue;
            }
            long raw = Long.parseLong(e.value().trim());
            long value = raw < 0 ? RetentionValue.INFINITE : raw * key.getValue();
            return Optional.of(new RetentionValue(value, ValueSource.of(e.source()),
                    key.getKey() + "=" + e.value().trim() + " on broker " + brokerId));
        }
        return Optional.empty();
    }

    /**
     * Applies the planned changes of these topics in one incrementalAlterConfigs request; each topic's
     * changes succeed or fail together and each topic gets its own result.
     */
    public List<TopicApplyResult> apply(List<TopicAssessment> topics) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (TopicAssessment t : topics) {
            if (!t.changes().isEmpty()) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t.topic()), t.changes().stream()
                        .map(c -> new AlterConfigOp(new ConfigEntry(c.key(), Long.toString(c.newValue())), AlterConfigOp.OpType.SET))
                        .toList());
            }
        }
        if (ops.isEmpty()) {
            return List.of();
        }
        Map<ConfigResource, KafkaFuture<Void>> futures = admin.incrementalAlterConfigs(ops,
                new AlterConfigsOptions().timeoutMs(timeoutMs())).values();
        Map<String, ConfigResource> resources = new LinkedHashMap<>();
        topics.stream().filter(t -> !t.changes().isEmpty())
                .forEach(t -> resources.put(t.topic(), new ConfigResource(ConfigResource.Type.TOPIC, t.topic())));
        Map<String, AdminFailure> failures = new LinkedHashMap<>();
        calls.awaitEach(byKey(resources, futures), topic -> "set the retention of topic '" + topic + "'",
                topic -> Permission.of("AlterConfigs", "topic '" + topic + "'"),
                (topic, e) -> failures.put(topic, failed(topic, e)));
        List<TopicApplyResult> results = new ArrayList<>();
        for (TopicAssessment t : topics) {
            if (!t.changes().isEmpty()) {
                results.add(new TopicApplyResult(t.topic(), t.changes(), Optional.ofNullable(failures.get(t.topic()))));
            }
        }
        return results;
    }

    private static AdminFailure failed(String topic, GuardianException e) {
        AdminFailure f = AdminFailure.of(e, "AlterConfigs", "topic '" + topic + "'");
        if (f.kind() == AdminFailure.Kind.UNREACHABLE) {
            f = new AdminFailure(f.kind(), f.operation(), f.resource(), f.message()
                    + " The change may or may not have been applied: run 'guardian retention check'.");
        }
        return f;
    }

    static TopicRetentionConfig toRetentionConfig(String topic, Config config) {
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        List<String> policies = policy == null || policy.value() == null ? List.of("delete")
                : Arrays.stream(policy.value().split(",")).map(String::trim).map(String::toLowerCase)
                        .filter(s -> !s.isEmpty()).toList();
        ConfigEntry remote = config.get(TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG);
        return new TopicRetentionConfig(topic,
                value(topic, config, TopicConfig.RETENTION_MS_CONFIG, null),
                value(topic, config, TopicConfig.RETENTION_BYTES_CONFIG, null),
                policies,
                remote != null && Boolean.parseBoolean(remote.value()),
                value(topic, config, TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG, RetentionPlanner.SAME_AS_TOTAL),
                value(topic, config, TopicConfig.LOCAL_LOG_RETENTION_BYTES_CONFIG, RetentionPlanner.SAME_AS_TOTAL));
    }

    /** The effective value of {@code key} and the key (with its raw value) that supplies it. */
    static RetentionValue value(String topic, Config config, String key, Long ifMissing) {
        ConfigEntry e = config.get(key);
        if (e == null || e.value() == null) {
            if (ifMissing != null) {
                return new RetentionValue(ifMissing, ValueSource.KAFKA_DEFAULT, key + "=" + ifMissing);
            }
            throw new IllegalStateException("the cluster described topic '" + topic + "' without " + key);
        }
        ValueSource source = ValueSource.of(e.source());
        String definedBy = e.synonyms().stream()
                .filter(s -> s.source() == e.source())
                .findFirst()
                .map(s -> s.name() + "=" + s.value())
                .orElseGet(() -> defaultDefinedBy(key, e));
        return new RetentionValue(Long.parseLong(e.value().trim()), source, definedBy);
    }

    /**
     * Kafka reports the default retention.ms without synonyms: log.retention.ms has no default and
     * the broker derives it from log.retention.hours (168).
     */
    private static String defaultDefinedBy(String key, ConfigEntry e) {
        long hour = 3_600_000L;
        if (key.equals(TopicConfig.RETENTION_MS_CONFIG) && e.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG) {
            long ms = Long.parseLong(e.value().trim());
            if (ms > 0 && ms % hour == 0) {
                return "log.retention.hours=" + ms / hour;
            }
        }
        return key + "=" + e.value();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }
}
