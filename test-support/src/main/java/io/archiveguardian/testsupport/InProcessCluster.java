package io.archiveguardian.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process KRaft cluster (Kafka's own {@code KafkaClusterTestKit}): N brokers and one
 * separate controller in this JVM. Broker ids are 0..N-1. Brokers can be shut down and started
 * again; the controller stays up.
 */
public final class InProcessCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private InProcessCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Formats and starts a cluster of {@code brokers} brokers, waiting until all are ready. */
    public static InProcessCluster start(int brokers) {
        return start(brokers, Map.of());
    }

    public static InProcessCluster start(int brokers, Map<String, String> brokerProperties) {
        return start(brokers, 1, brokerProperties);
    }

    /** Like {@link #start(int, Map)} with {@code disksPerBroker} log dirs on every broker (JBOD). */
    public static InProcessCluster start(int brokers, int disksPerBroker, Map<String, String> brokerProperties) {
        return start(brokers, disksPerBroker, brokerProperties, formatted -> { });
    }

    /**
     * Like {@link #start(int, int, Map)}, with {@code afterFormat} called once the log dirs are
     * formatted and before any node starts: the moment to put a broker's log dir on a small
     * filesystem of its own (move its contents there and leave a symbolic link in its place).
     */
    public static InProcessCluster start(int brokers, int disksPerBroker, Map<String, String> brokerProperties,
                                         java.util.function.Consumer<InProcessCluster> afterFormat) {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(brokers)
                    .setNumDisksPerBroker(disksPerBroker)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            builder.setConfigProp("offsets.topic.replication.factor", Integer.toString(Math.min(3, brokers)));
            builder.setConfigProp("transaction.state.log.replication.factor", Integer.toString(Math.min(3, brokers)));
            builder.setConfigProp("transaction.state.log.min.isr", "1");
            builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
            brokerProperties.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            InProcessCluster cluster = new InProcessCluster(kit);
            afterFormat.accept(cluster);
            kit.startup();
            kit.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            throw new IllegalStateException("could not start an in-process cluster of " + brokers + " brokers: " + e, e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** An Admin client for this cluster; the caller closes it. */
    public Admin admin() {
        return kit.admin();
    }

    public Set<Integer> brokerIds() {
        return kit.brokers().keySet();
    }

    /** The log dirs of one broker, as its {@code log.dirs} lists them. */
    public List<Path> logDirs(int brokerId) {
        return kit.nodes().brokerNodes().get(brokerId).logDataDirectories().stream()
                .sorted().map(Path::of).collect(Collectors.toList());
    }

    /** Shuts one broker down cleanly and waits until it has stopped. */
    public void stopBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts a broker that was stopped with {@link #stopBroker(int)}. */
    public void startBroker(int brokerId) {
        broker(brokerId).startup();
    }

    public BrokerServer broker(int brokerId) {
        BrokerServer broker = kit.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + brokerId + "; brokers are " + brokerIds());
        }
        return broker;
    }

    /** Kafka's own test kit, for anything this wrapper does not offer. */
    public KafkaClusterTestKit testKit() {
        return kit;
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close the in-process cluster: " + e, e);
        }
    }
}
