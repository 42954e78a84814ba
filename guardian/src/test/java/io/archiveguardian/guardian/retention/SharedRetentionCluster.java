package io.archiveguardian.guardian.retention;

import io.archiveguardian.testsupport.InProcessCluster;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One two-broker in-process cluster shared by the retention broker tests (start-up costs seconds).
 * It runs KRaft's StandardAuthorizer with {@code allow.everyone.if.no.acl.found=true}: every client
 * is {@code User:ANONYMOUS} on the PLAINTEXT listener and may do everything, except where a test adds
 * a DENY ACL on one topic of its own.
 */
final class SharedRetentionCluster implements BeforeAllCallback {

    private static InProcessCluster cluster;
    private static Admin admin;

    /** Starts the cluster once per test run; JUnit closes it when the whole run ends. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedRetentionCluster.class, k -> new Closer(), Closer.class);
    }

    /** Closes the shared cluster at the end of the run. */
    static final class Closer implements AutoCloseable {
        Closer() {
            cluster();
        }

        @Override
        public void close() {
            synchronized (SharedRetentionCluster.class) {
                admin.close();
                cluster.close();
                cluster = null;
            }
        }
    }

    static synchronized InProcessCluster cluster() {
        if (cluster == null) {
            cluster = InProcessCluster.start(2, Map.of(
                    "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    "allow.everyone.if.no.acl.found", "true"));
            admin = cluster.admin();
        }
        return cluster;
    }

    static synchronized Admin admin() {
        cluster();
        return admin;
    }

    static String bootstrap() {
        return cluster().bootstrapServers();
    }

    /** Creates a topic and waits until every broker's metadata has it. */
    static void createTopic(String name, Map<String, String> configs) throws Exception {
        admin().createTopics(List.of(new NewTopic(name, 1, (short) 2).configs(configs))).all().get(30, TimeUnit.SECONDS);
        awaitOnAllBrokers(cluster(), name);
    }

    /** A committed change reaches each broker's metadata a moment later; tests wait for all of them. */
    static void awaitOnAllBrokers(InProcessCluster cluster, String topic) {
        org.awaitility.Awaitility.await(topic + " on every broker").atMost(java.time.Duration.ofSeconds(15))
                .until(() -> cluster.brokerIds().stream().allMatch(id -> cluster.broker(id).metadataCache().contains(topic)));
    }

    static void setTopicConfig(String topic, String key, String value) throws Exception {
        alter(new ConfigResource(ConfigResource.Type.TOPIC, topic), key, value);
        awaitTopicConfig(topic, key, value);
    }

    static void alter(ConfigResource resource, String key, String value) throws Exception {
        Collection<AlterConfigOp> ops = List.of(value == null
                ? new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
        admin().incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until a describe answers {@code value} for the topic's {@code key}: a committed change
     * reaches each broker's metadata a moment later.
     */
    static void awaitTopicConfig(String topic, String key, String value) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        org.awaitility.Awaitility.await(topic + " " + key + "=" + value + " on every broker")
                .atMost(java.time.Duration.ofSeconds(15))
                .until(() -> liveBrokers().stream()
                        .allMatch(id -> value.equals(cluster().broker(id).metadataCache().config(r).getProperty(key))));
        org.assertj.core.api.Assertions.assertThat(topicConfig(topic, key).value()).isEqualTo(value);
    }

    static List<Integer> liveBrokers() throws Exception {
        return admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
    }

    /** The topic's config entry for {@code key}, as a describe answers it now. */
    static ConfigEntry topicConfig(String topic, String key) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin().describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).get(key);
    }
}
