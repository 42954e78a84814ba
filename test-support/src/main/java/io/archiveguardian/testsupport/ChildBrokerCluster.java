package io.archiveguardian.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * N brokers as child processes forming one KRaft cluster: every node is broker and controller,
 * with a static voter set, so any minority may be killed and the quorum survives.
 *
 * <pre>{@code
 * try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3)
 *         .logDir(1, smallDisk.root().resolve("kafka"))
 *         .build().start()) { ... }
 * }</pre>
 */
public final class ChildBrokerCluster implements AutoCloseable {

    private final Path baseDir;
    private final Map<Integer, ChildBroker> brokers;
    private final boolean deleteOnClose;

    private ChildBrokerCluster(Path baseDir, Map<Integer, ChildBroker> brokers, boolean deleteOnClose) {
        this.baseDir = baseDir;
        this.brokers = brokers;
        this.deleteOnClose = deleteOnClose;
    }

    public static Builder builder(int size) {
        return new Builder(size);
    }

    public ChildBroker broker(int nodeId) {
        ChildBroker broker = brokers.get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; nodes are " + brokers.keySet());
        }
        return broker;
    }

    public List<ChildBroker> brokers() {
        return List.copyOf(brokers.values());
    }

    public Path baseDir() {
        return baseDir;
    }

    public String bootstrapServers() {
        return brokers.values().stream().map(ChildBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Bootstrap servers of the nodes that are running now. */
    public String liveBootstrapServers() {
        return brokers.values().stream().filter(ChildBroker::isAlive)
                .map(ChildBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Starts every node and waits until all have started. */
    public ChildBrokerCluster start() {
        brokers.values().forEach(ChildBroker::start);
        brokers.values().forEach(b -> b.awaitStarted(Duration.ofSeconds(120)));
        return this;
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, liveBootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    /**
     * Waits until every partition of {@code topic} has all its replicas in sync. Call it before a
     * kill that a test expects the cluster to carry: a partition whose ISR has shrunk to the
     * victim alone (a follower lagging on a loaded machine) goes offline with it, and a producer
     * then times out on a condition the test never meant to create.
     */
    public void awaitFullIsr(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not described yet";
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get(topic);
                    last = d.partitions().stream().map(ChildBrokerCluster::describe).collect(Collectors.joining("; "));
                    if (d.partitions().stream().allMatch(p -> p.isr().size() == p.replicas().size())) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = "describeTopics failed: " + e.getMessage();
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("partitions of " + topic + " not fully in sync after " + timeout + ": " + last);
    }

    /** One partition as a failure message shows it: leader, replicas, ISR. */
    public static String describe(TopicPartitionInfo p) {
        return p.partition() + " leader " + (p.leader() == null ? "none" : p.leader().id())
                + " replicas " + p.replicas().stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","))
                + " isr " + p.isr().stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        brokers.values().forEach(ChildBroker::kill);
        if (deleteOnClose) {
            SmallFilesystem.deleteRecursively(baseDir);
        }
    }

    public static final class Builder {
        private final int size;
        private final Map<Integer, List<Path>> logDirs = new HashMap<>();
        private final Map<String, String> properties = new HashMap<>();
        private final Map<Integer, Map<String, String>> perNode = new HashMap<>();
        private Path baseDir;
        private String releaseVersion;

        private Builder(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
            }
            this.size = size;
        }

        /** Node ids are 1..size. Overrides the log dirs of one node (default: under the base dir). */
        public Builder logDirs(int nodeId, List<Path> dirs) {
            logDirs.put(nodeId, List.copyOf(dirs));
            return this;
        }

        public Builder logDir(int nodeId, Path dir) {
            return logDirs(nodeId, List.of(dir));
        }

        /** A broker property for every node. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** A broker property for one node. */
        public Builder property(int nodeId, String key, String value) {
            perNode.computeIfAbsent(nodeId, k -> new HashMap<>()).put(key, value);
            return this;
        }

        /** Formats with this release version (e.g. {@code 4.2-IV1}), for a cluster at an older metadata.version. */
        public Builder releaseVersion(String version) {
            this.releaseVersion = version;
            return this;
        }

        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        /** Writes the configs and formats every node's storage; the cluster is not started yet. */
        public ChildBrokerCluster build() {
            try {
                boolean ownBase = baseDir == null;
                Path base = ownBase ? Files.createTempDirectory("guardian-child-cluster-") : baseDir;
                Map<Integer, ChildBroker> nodes = new java.util.TreeMap<>();
                List<String> voters = new ArrayList<>();
                Map<Integer, int[]> ports = new HashMap<>();
                for (int id = 1; id <= size; id++) {
                    int[] p = {Ports.free(), Ports.free()};
                    ports.put(id, p);
                    voters.add(id + "@127.0.0.1:" + p[1]);
                }
                String quorum = String.join(",", voters);
                String clusterId = Uuid.randomUuid().toString();
                Function<Integer, Path> nodeDir = id -> base.resolve("node-" + id);
                for (int id = 1; id <= size; id++) {
                    Map<String, String> props = new HashMap<>(properties);
                    props.putAll(perNode.getOrDefault(id, Map.of()));
                    List<Path> dirs = logDirs.getOrDefault(id, List.of(nodeDir.apply(id).resolve("kafka-logs")));
                    ChildBroker broker = new ChildBroker(id, nodeDir.apply(id), dirs, ports.get(id)[0], ports.get(id)[1], props);
                    broker.writeConfig(quorum, size);
                    nodes.put(id, broker);
                }
                nodes.values().parallelStream().forEach(b -> b.format(clusterId, releaseVersion));
                return new ChildBrokerCluster(base, nodes, ownBase);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
