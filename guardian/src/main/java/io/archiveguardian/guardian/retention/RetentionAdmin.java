package io.archiveguardian.guardian.retention;

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
import java.util.concurrent.TimeUnit;
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
 * The Admin API calls of the retention capability, each bounded by the Admin timeout and each
 * failure explained as an {@link AdminFailure} naming the operation and the resource.
 */
public final class RetentionAdmin {

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    public RetentionAdmin(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** All topic names, internal ones included; an exception with the failure explained otherwise. */
    public Set<String> topicNames() {
        return await(admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(timeoutMs())).names(),
                "Describe (listTopics)", "the cluster's topics");
    }

    /** The ids of the live (registered, unfenced) brokers. */
    public List<Integer> liveBrokers() {
        Collection<Node> nodes = await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs())).nodes(),
                "Describe (describeCluster)", "the cluster");
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
        List<TopicRetentionConfig> configs = new ArrayList<>();
        List<AdminFailure> failures = new ArrayList<>();
        for (Map.Entry<String, ConfigResource> e : resources.entrySet()) {
            String resource = "topic '" + e.getKey() + "'";
            try {
                Config config = futures.get(e.getValue()).get(waitMs(), TimeUnit.MILLISECONDS);
                configs.add(toRetentionConfig(e.getKey(), config));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                failures.add(AdminFailure.of(ie, "DescribeConfigs", resource, bootstrapServers, timeout));
            } catch (Exception ex) {
                failures.add(AdminFailure.of(ex, "DescribeConfigs", resource, bootstrapServers, timeout));
            }
        }
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
        List<BrokerRetention> brokers = new ArrayList<>();
        List<AdminFailure> failures = new ArrayList<>();
        for (Map.Entry<Integer, ConfigResource> e : resources.entrySet()) {
            try {
                Config config = futures.get(e.getValue()).get(waitMs(), TimeUnit.MILLISECONDS);
                brokers.add(toBrokerRetention(e.getKey(), config));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                failures.add(AdminFailure.of(ie, "DescribeConfigs", "broker " + e.getKey(), bootstrapServers, timeout));
            } catch (Exception ex) {
                failures.add(AdminFailure.of(ex, "DescribeConfigs", "broker " + e.getKey(), bootstrapServers, timeout));
            }
        }
        return new DescribedBrokers(brokers, failures);
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
        List<TopicApplyResult> results = new ArrayList<>();
        for (TopicAssessment t : topics) {
            if (t.changes().isEmpty()) {
                continue;
            }
            KafkaFuture<Void> f = futures.get(new ConfigResource(ConfigResource.Type.TOPIC, t.topic()));
            try {
                f.get(waitMs(), TimeUnit.MILLISECONDS);
                results.add(new TopicApplyResult(t.topic(), t.changes(), Optional.empty()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                results.add(failed(t, ie));
            } catch (Exception ex) {
                results.add(failed(t, ex));
            }
        }
        return results;
    }

    private TopicApplyResult failed(TopicAssessment t, Exception ex) {
        AdminFailure f = AdminFailure.of(ex, "AlterConfigs", "topic '" + t.topic() + "'", bootstrapServers, timeout);
        if (f.kind() == AdminFailure.Kind.UNREACHABLE) {
            f = new AdminFailure(f.kind(), f.operation(), f.resource(), f.message()
                    + " The change may or may not have been applied: run 'guardian retention check'.");
        }
        return new TopicApplyResult(t.topic(), t.changes(), Optional.of(f));
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

    private <T> T await(KafkaFuture<T> future, String operation, String resource) {
        try {
            return future.get(waitMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminFailure.of(e, operation, resource, bootstrapServers, timeout).toException();
        } catch (Exception e) {
            throw AdminFailure.of(e, operation, resource, bootstrapServers, timeout).toException();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** A little longer than the Admin's own timeout, so that the Admin reports its own error first. */
    private long waitMs() {
        return timeout.toMillis() + 2_000;
    }
}
