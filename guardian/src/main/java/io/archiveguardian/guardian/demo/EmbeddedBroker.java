package io.archiveguardian.guardian.demo;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (broker and controller in one) running in this JVM, for
 * {@code guardian demo}. Its {@code server.properties} is written to the data dir, so a second
 * shell can point any guardian command at it with {@code --broker-config}; a second start with the
 * same data dir reuses the ports and the data.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Path dataDir;
    private final Properties props;
    private final KafkaRaftServer server;

    private EmbeddedBroker(Path dataDir, Properties props, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.props = props;
        this.server = server;
    }

    public static EmbeddedBroker start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("server.properties");
            Properties props = Files.exists(config) ? read(config) : fresh(dataDir);
            write(config, props);
            Path logDir = Path.of(props.getProperty("log.dirs"));
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(props, logDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedBroker(dataDir, props, server);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot prepare the demo broker in " + dataDir + ": " + e, e);
        } catch (Exception e) {
            throw new GuardianException(ExitCodes.FAILED, "the demo broker did not start: " + e
                    + ". If " + dataDir + " holds data of another Kafka version, use another --data-dir.", e);
        }
    }

    private static Properties fresh(Path dataDir) throws IOException {
        int port = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("kafka-logs").toAbsolutePath().toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        // Small segments so the demo shows segments and index files growing within minutes.
        p.setProperty("log.segment.bytes", Integer.toString(8 * 1024 * 1024));
        return p;
    }

    private static void format(Properties props, Path logDir) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        new Formatter()
                .setPrintStream(quiet)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setNodeId(Integer.parseInt(props.getProperty("node.id")))
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    public Path logDir() {
        return Path.of(props.getProperty("log.dirs"));
    }

    public String bootstrapServers() {
        String advertised = props.getProperty("advertised.listeners");
        return advertised.substring(advertised.indexOf("://") + 3);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static void write(Path file, Properties props) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "written by guardian demo");
        }
    }
}
