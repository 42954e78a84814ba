package io.archiveguardian.deploy;

import static io.archiveguardian.deploy.KubernetesSnippetTest.command;
import static io.archiveguardian.deploy.KubernetesSnippetTest.container;
import static io.archiveguardian.deploy.KubernetesSnippetTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.archiveguardian.testsupport.TestEnvironment;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod of deploy/kubernetes/broker-pod-snippet.yaml built as a container runtime builds it:
 * the broker container (its command: prestart, then a real Kafka broker exec'd) and the sidecar
 * each in its own mount and PID namespace with its own root ({@link Container}), sharing only the
 * snippet's volumes at the snippet's paths, with the shipped guardian-config.yaml. The data volume
 * is a real 256 MiB ext4. What only a shared state.dir makes work: prestart counts the catch-up
 * from the write rate the sidecar recorded, and the guardian's cordon is still its own after the
 * sidecar's restart, so it is lifted when the pressure falls.
 */
@Tag("broker")
class KubernetesPodTest {

    static final long MIB = 1024L * 1024L;
    static final String CONFIG_MAP = "kubernetes/guardian-config.yaml";

    @RegisterExtension
    final SmallFilesystemExtension data = SmallFilesystemExtension.ext4(256 * MIB);

    @TempDir
    Path tmp;

    @BeforeEach
    void requirements() {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("unshare");
        TestEnvironment.requireProgram("chroot");
    }

    /** guardian.properties as the shipped ConfigMap holds it. */
    static Map<String, String> shippedGuardianProperties() throws Exception {
        JsonNode cm = new ObjectMapper(new YAMLFactory()).readTree(Deployment.file(CONFIG_MAP));
        Properties p = new Properties();
        p.load(new StringReader(cm.at("/data/guardian.properties").asText()));
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    static String mountPath(JsonNode container, String volume) {
        return StreamSupport.stream(container.get("volumeMounts").spliterator(), false)
                .filter(m -> volume.equals(m.get("name").asText())).map(m -> m.get("mountPath").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(container.get("name") + " does not mount " + volume));
    }

    @Test
    void prestartReadsTheSidecarsWriteRateAndTheSidecarLiftsItsOwnCordonAfterItsRestart() throws Exception {
        JsonNode pod = pod();
        JsonNode kafka = container(pod, "containers", "kafka");
        JsonNode sidecar = container(pod, "initContainers", "guardian");
        String dataPath = mountPath(kafka, "data");
        String logDir = dataPath + "/data";
        Map<String, String> guardian = new TreeMap<>(shippedGuardianProperties());
        String stateDir = guardian.get("state.dir");
        assertThat(stateDir).as("state.dir on the data volume, outside the log dir").startsWith(dataPath + "/")
                .doesNotStartWith(logDir + "/").isNotEqualTo(logDir);

        int port = Ports.free();
        int controllerPort = Ports.free();
        int http = Ports.free();
        Path brokerConfig = Files.createDirectories(tmp.resolve("broker-config"));
        Path guardianConfig = Files.createDirectories(tmp.resolve("guardian-config"));
        Path kafkaImage = Files.createDirectories(tmp.resolve("kafka-image/bin"));
        Map<String, String> server = new TreeMap<>(Map.of("process.roles", "broker,controller", "node.id", "1",
                "controller.quorum.voters", "1@127.0.0.1:" + controllerPort,
                "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names", "CONTROLLER", "log.dirs", logDir,
                "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
        writeProperties(brokerConfig.resolve("server.properties"), server);
        try (var in = KubernetesPodTest.class.getResourceAsStream("/child-broker-log4j2.properties")) {
            Files.copy(in, brokerConfig.resolve("log4j2.properties"));
        }
        // The test changes only what a test must (addresses, cadence, small-disk thresholds), never state.dir.
        guardian.put("bootstrap.servers", "127.0.0.1:" + port);
        guardian.put("http.listen", "127.0.0.1:" + http);
        guardian.putAll(Map.of("scan.interval.ms", "1000", "reserve.auto.arm", "false", "stop.enabled", "false",
                "admin.timeout.ms", "5000", "prestart.cluster.timeout.ms", "1000",
                // a write rate after 20 s of scans instead of 5 min; no Streams view (load, not the subject)
                "forecast.min.span.ms", "20000", "cluster.view.enabled", "false"));
        guardian.putAll(Map.of("pressure.warn.ratio", "0.5", "pressure.high.ratio", "0.6", "pressure.critical.ratio", "0.95",
                "pressure.warn.floor.bytes", "0", "pressure.high.floor.bytes", "0", "pressure.critical.floor.bytes", "0",
                "pressure.warn.headroom.bytes", "0", "pressure.high.headroom.bytes", "0", "pressure.critical.headroom.bytes", "0"));
        writeProperties(guardianConfig.resolve("guardian.properties"), guardian);
        Path start = kafkaImage.resolve("kafka-server-start.sh");
        Files.writeString(start, "#!/bin/sh\n# stands in for the image's start script: the real broker, from the test's jars\n"
                + "exec \"$JAVA_HOME/bin/java\" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                + "-Dlog4j2.configurationFile=" + mountPath(kafka, "broker-config") + "/log4j2.properties "
                + "-cp '" + System.getProperty("java.class.path") + "' kafka.Kafka \"$@\"\n");
        start.toFile().setExecutable(true);

        // Formatted as the broker sees its log dir (a path inside the data volume).
        Path hostLogDir = Files.createDirectories(data.root().resolve("data"));
        Map<String, String> format = new TreeMap<>(server);
        format.put("log.dirs", hostLogDir.toString());
        writeProperties(tmp.resolve("format.properties"), format);
        Deployment.Run formatted = Deployment.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool", "format", "-t",
                "Kw8tJqWxQ4yFq2g3zVn1bA", "-c", tmp.resolve("format.properties").toString()), tmp);
        assertThat(formatted.exitCode()).as(formatted.output()).isZero();

        Container.Mounts brokerMounts = mounts(kafka, brokerConfig, guardianConfig).add("/opt/kafka/bin", kafkaImage).addClassPath();
        Container.Mounts sidecarMounts = mounts(sidecar, brokerConfig, guardianConfig);
        List<String> brokerCommand = command(kafka);
        List<String> sidecarCommand = command(sidecar);
        assertThat(brokerCommand.get(2)).contains("exec /opt/kafka/bin/kafka-server-start.sh");

        Container guard = Container.start("guardian", tmp, sidecarMounts, sidecarCommand, Optional.empty());
        Container broker = Container.start("kafka", tmp, brokerMounts, brokerCommand, Optional.empty());
        AtomicBoolean producing = new AtomicBoolean(true);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            broker.awaitOutput("Kafka Server started", 0, Duration.ofSeconds(180));
            admin.createTopics(List.of(new NewTopic("archive", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);

            // 1. The sidecar records the broker's write rate on the data volume.
            Thread producer = new Thread(() -> produce(port, producing), "producer");
            producer.start();
            Path growth = data.root().resolve(stateDir.substring(dataPath.length() + 1)).resolve("growth.json");
            double[] rate = new double[1];
            final Container watching = guard;
            await("the sidecar records a write rate in " + growth).atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        assertThat(watching.isAlive()).as(watching.output()).isTrue();
                        rate[0] = recordedRate(growth, logDir);
                        return rate[0] > 0;
                    });
            producing.set(false);
            producer.join(30_000);

            // 2. The broker is killed; the kubelet runs the container's command again, in a new container.
            broker.kill();
            double recordedBefore = recordedRate(growth, logDir);
            Container restarted = Container.start("kafka", tmp, brokerMounts, brokerCommand, Optional.empty());
            broker = restarted;
            int before = 0;
            restarted.awaitOutput("Kafka Server started", before, Duration.ofSeconds(180));
            String prestart = restarted.output();
            assertThat(prestart).as("prestart, with the cluster down, counts the catch-up from the sidecar's record")
                    .contains("estimated as measured write rate x time down")
                    .doesNotContain("no write rate recorded by the sidecar");
            Matcher shown = Pattern.compile(Pattern.quote(logDir) + ": (.+?)/s x").matcher(prestart);
            assertThat(shown.find()).as(prestart).isTrue();
            // The sidecar rewrites the record once a minute: the one prestart read is the one before or after.
            assertThat(shown.group(1)).as("the rate of the record the sidecar wrote").isIn(
                    io.archiveguardian.guardian.text.Sizes.human((long) recordedBefore),
                    io.archiveguardian.guardian.text.Sizes.human((long) recordedRate(growth, logDir)))
                    .isNotEqualTo(io.archiveguardian.guardian.text.Sizes.human(0));

            // 3. Pressure: the sidecar cordons the log dir and records the cordon as its own.
            Path filler = data.root().resolve("filler");
            Files.write(filler, new byte[(int) (170 * MIB)]);
            await("the sidecar cordons " + logDir).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> cordoned(admin).contains(logDir));
            Path record = data.root().resolve(stateDir.substring(dataPath.length() + 1)).resolve("cordons-broker-1.json");
            assertThat(record).as("the cordon record is on the shared volume").exists();

            // 4. The sidecar restarts (a new container: its own root is new, the volume is the same);
            //    the pressure falls; the restarted sidecar lifts the cordon it knows as its own.
            guard.kill();
            guard = Container.start("guardian", tmp, sidecarMounts, sidecarCommand, Optional.empty());
            Files.delete(filler);
            final Container g = guard;
            await("the restarted sidecar lifts its cordon").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        assertThat(g.isAlive()).as(g.output()).isTrue();
                        return !cordoned(admin).contains(logDir);
                    });
        } finally {
            producing.set(false);
            guard.close();
            broker.close();
        }
    }

    private Container.Mounts mounts(JsonNode container, Path brokerConfig, Path guardianConfig) {
        Container.Mounts m = new Container.Mounts().add(mountPath(container, "data"), data.root())
                .add(mountPath(container, "broker-config"), brokerConfig)
                .add(mountPath(container, "guardian-config"), guardianConfig);
        return m.add(Deployment.GUARDIAN_HOME, Deployment.dist());
    }

    private static void writeProperties(Path file, Map<String, String> values) throws Exception {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, s.toString());
    }

    private static double recordedRate(Path growth, String logDir) {
        return io.archiveguardian.guardian.recovery.GrowthRecord.read(growth.getParent())
                .map(r -> r.logDirs().get(logDir)).map(d -> d.writeBytesPerSecond()).orElse(0.0);
    }

    private static String cordoned(Admin admin) throws Exception {
        ConfigResource b = new ConfigResource(ConfigResource.Type.BROKER, "1");
        var entry = admin.describeConfigs(List.of(b)).all().get(30, TimeUnit.SECONDS).get(b).get("cordoned.log.dirs");
        return entry == null || entry.value() == null ? "" : entry.value();
    }

    /** About 256 KiB/s until told to stop. */
    private static void produce(int port, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", "127.0.0.1:" + port,
                "acks", "1", "linger.ms", "20"), new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = new byte[16 * 1024];
            new java.util.Random(1).nextBytes(value);
            while (producing.get()) {
                for (int i = 0; i < 4; i++) {
                    p.send(new ProducerRecord<>("archive", value));
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the broker was killed: the producer's work is done
        }
    }
}
