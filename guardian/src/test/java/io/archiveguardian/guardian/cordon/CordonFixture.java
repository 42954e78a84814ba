package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.testsupport.ChildBroker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/** Shared steps of the cordon tests against real brokers: guardian config, Kafka's view, filling a disk. */
final class CordonFixture {

    static final long MIB = 1024L * 1024L;
    private CordonFixture() {
    }

    /** A guardian config for {@code broker}: pressure by ratio only (warn 70%, high 80%, critical 97%). */
    static Path config(Path tmp, ChildBroker broker, String bootstrap, Map<String, String> extra) {
        Properties p = new Properties();
        p.setProperty("broker.config", broker.serverProperties().toString());
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("scan.interval.ms", "500");
        p.setProperty("reserve.rearm.enabled", "false");
        p.setProperty("pressure.warn.ratio", "0.70");
        p.setProperty("pressure.high.ratio", "0.80");
        p.setProperty("pressure.critical.ratio", "0.97");
        p.setProperty("pressure.hysteresis.bytes", "0");
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        extra.forEach(p::setProperty);
        Path file = tmp.resolve("guardian-" + broker.nodeId() + "-" + System.nanoTime() + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Sidecar sidecar(Path config) {
        return new Sidecar(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())), new GuardianMetrics(), Clock.systemUTC());
    }

    static ConfigResource brokerResource(int id) {
        return new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id));
    }

    /** The broker's effective cordoned.log.dirs value, as describeConfigs returns it. */
    static String cordoned(Admin admin, int broker) throws Exception {
        ConfigEntry e = admin.describeConfigs(List.of(brokerResource(broker))).all().get(30, TimeUnit.SECONDS)
                .get(brokerResource(broker)).get("cordoned.log.dirs");
        return e == null || e.value() == null ? "" : e.value();
    }

    static void alter(Admin admin, int broker, String value, AlterConfigOp.OpType type) throws Exception {
        admin.incrementalAlterConfigs(Map.of(brokerResource(broker),
                List.of(new AlterConfigOp(new ConfigEntry("cordoned.log.dirs", value), type)))).all().get(30, TimeUnit.SECONDS);
    }

    /** Per log dir of the broker, whether the broker reports it cordoned (describeLogDirs). */
    static Map<String, Boolean> reported(Admin admin, int broker) throws Exception {
        Map<String, Boolean> out = new TreeMap<>();
        admin.describeLogDirs(List.of(broker)).allDescriptions().get(30, TimeUnit.SECONDS).get(broker)
                .forEach((dir, d) -> out.put(dir, d.isCordoned()));
        return out;
    }

    /** The partitions of {@code topic} in each log dir of the broker (describeLogDirs). */
    static Map<String, List<Integer>> placement(Admin admin, int broker, String topic) throws Exception {
        Map<String, List<Integer>> out = new TreeMap<>();
        for (Map.Entry<String, LogDirDescription> e : admin.describeLogDirs(List.of(broker)).allDescriptions()
                .get(30, TimeUnit.SECONDS).get(broker).entrySet()) {
            List<Integer> partitions = new ArrayList<>();
            for (TopicPartition tp : e.getValue().replicaInfos().keySet()) {
                if (tp.topic().equals(topic)) {
                    partitions.add(tp.partition());
                }
            }
            partitions.sort(null);
            out.put(e.getKey(), partitions);
        }
        return out;
    }

    /** Writes real blocks into {@code file} until the filesystem's used share is at least {@code ratio}. */
    static void fillTo(Path file, double ratio) throws IOException {
        FileStore store = Files.getFileStore(file.getParent());
        long total = store.getTotalSpace();
        long target = (long) (total * ratio) + MIB;
        long toWrite = target - (total - store.getUsableSpace());
        byte[] block = new byte[(int) MIB];
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(out.length());
            for (long written = 0; written < toWrite; written += block.length) {
                out.write(block);
            }
            out.getFD().sync();
        }
    }

    /**
     * Runs Kafka's own {@code kafka-configs.sh} (the class it starts, kafka.admin.ConfigCommand) as a
     * process, as an operator would, and returns what it printed.
     */
    static String kafkaConfigs(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "kafka.admin.ConfigCommand"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kafka-configs did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("kafka-configs " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** One property of the broker's server.properties. */
    static String serverProperty(ChildBroker broker, String key) {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(broker.serverProperties())) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty(key);
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
