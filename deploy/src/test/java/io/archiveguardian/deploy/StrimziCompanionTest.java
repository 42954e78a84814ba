package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.archiveguardian.testsupport.TestEnvironment;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/strimzi/companion.yaml as two pods: the broker pod (a real Kafka broker, Strimzi's layout
 * /var/lib/kafka/data-0/kafka-log0, no prestart) and the companion pod (the manifest's command and
 * ConfigMap), each in its own PID, mount and network namespace ({@link Container}), the data
 * volume (a real ext4) the only thing they share, and a veth pair the test creates and removes the
 * only link between their networks. The companion reaches the broker by the manifest's
 * broker.address name (resolved by the companion's /etc/hosts to the broker pod's address). A
 * kill -9 of the broker is answered by a ballast release within broker.state.poll.ms + 1 s, and the
 * companion sees the broker RUNNING again after its restart in its pod.
 */
@Tag("broker")
class StrimziCompanionTest {

    static final long MIB = 1024L * 1024L;
    static final String MANIFEST = "strimzi/companion.yaml";
    static final String DATA = "/var/lib/kafka/data-0";

    @RegisterExtension
    final SmallFilesystemExtension data = SmallFilesystemExtension.ext4(256 * MIB);

    @TempDir
    Path tmp;

    private final String id = Integer.toString(ThreadLocalRandom.current().nextInt(10_000, 99_999));
    private final String brokerNs = "kag-b" + id;
    private final String companionNs = "kag-c" + id;
    private final int subnet = ThreadLocalRandom.current().nextInt(1, 250);
    private final String brokerIp = "10.233." + subnet + ".1";
    private final String companionIp = "10.233." + subnet + ".2";

    @BeforeEach
    void twoPodNetworks() throws Exception {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("unshare");
        TestEnvironment.requireProgram("nsenter");
        TestEnvironment.requireProgram("ip");
        ip("netns", "add", brokerNs);
        ip("netns", "add", companionNs);
        ip("link", "add", "vb" + id, "type", "veth", "peer", "name", "vc" + id);
        ip("link", "set", "vb" + id, "netns", brokerNs);
        ip("link", "set", "vc" + id, "netns", companionNs);
        for (String[] side : new String[][] {{brokerNs, "vb" + id, brokerIp}, {companionNs, "vc" + id, companionIp}}) {
            ip("-n", side[0], "link", "set", "lo", "up");
            ip("-n", side[0], "addr", "add", side[2] + "/30", "dev", side[1]);
            ip("-n", side[0], "link", "set", side[1], "up");
        }
    }

    @AfterEach
    void removeThem() {
        // Deleting a namespace deletes its end of the veth pair, and so the pair.
        Deployment.run(List.of("ip", "netns", "delete", brokerNs), tmp);
        Deployment.run(List.of("ip", "netns", "delete", companionNs), tmp);
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Deployment.Run run = Deployment.run(command, tmp);
        assertThat(run.exitCode()).as(command + ": " + run.output()).isZero();
    }

    static List<JsonNode> manifest() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        var parser = new YAMLFactory().createParser(Deployment.file(MANIFEST));
        new ObjectMapper(new YAMLFactory()).readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        return docs;
    }

    static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
    }

    @Test
    void theManifestsAreACompanionOnTheBrokersNodeWithItsPvcNoSharedPidsAndOnlyTheRightToDeleteThatPod() throws Exception {
        List<JsonNode> docs = manifest();
        JsonNode pod = kind(docs, "Deployment").at("/spec/template/spec");
        assertThat(pod.path("shareProcessNamespace").asBoolean(false)).isFalse();
        JsonNode affinity = pod.at("/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0");
        String brokerPod = affinity.at("/labelSelector/matchLabels").get("strimzi.io/pod-name").asText();
        assertThat(affinity.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.toString()).doesNotContain("prestart");
        String claim = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.has("persistentVolumeClaim")).map(v -> v.at("/persistentVolumeClaim/claimName").asText())
                .findFirst().orElseThrow();
        assertThat(claim).as("Strimzi's PVC of JBOD volume 0 of that pod").isEqualTo("data-0-" + brokerPod);
        JsonNode rules = kind(docs, "Role").path("rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.at("/0/verbs").toString()).isEqualTo("[\"delete\"]");
        assertThat(rules.at("/0/resources").toString()).isEqualTo("[\"pods\"]");
        assertThat(rules.at("/0/resourceNames").toString()).isEqualTo("[\"" + brokerPod + "\"]");
        assertThat(guardianProperties(docs).get("broker.stop.command")).contains("-X DELETE").contains("$BROKER_POD");
        assertThat(StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals("BROKER_POD")).findFirst().orElseThrow().path("value").asText())
                .isEqualTo(brokerPod);
    }

    static Map<String, String> guardianProperties(List<JsonNode> docs) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(kind(docs, "ConfigMap").at("/data/guardian.properties").asText()));
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    @Test
    void theCompanionReleasesBallastWithinThePollPlusOneSecondOfAKillMinus9AndSeesTheRestartedBroker() throws Exception {
        List<JsonNode> docs = manifest();
        JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
        Map<String, String> guardian = guardianProperties(docs);
        String logDir = guardian.get("log.dirs");
        assertThat(logDir).isEqualTo(DATA + "/kafka-log" + guardian.get("node.id"));
        String brokerName = guardian.get("broker.address").substring(0, guardian.get("broker.address").lastIndexOf(':'));
        int port = Integer.parseInt(guardian.get("broker.address").substring(guardian.get("broker.address").lastIndexOf(':') + 1));
        String bootstrapName = guardian.get("bootstrap.servers").substring(0, guardian.get("bootstrap.servers").lastIndexOf(':'));

        // The broker pod: Strimzi's layout, listening on its pod address only.
        Path brokerConfig = Files.createDirectories(tmp.resolve("broker-config"));
        Path kafkaImage = Files.createDirectories(tmp.resolve("kafka-image/bin"));
        Map<String, String> server = new TreeMap<>(Map.of("process.roles", "broker,controller",
                "node.id", guardian.get("node.id"), "controller.quorum.voters", guardian.get("node.id") + "@127.0.0.1:9090",
                "listeners", "PLAIN://" + brokerIp + ":" + port + ",CONTROLLER://127.0.0.1:9090",
                "listener.security.protocol.map", "PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "PLAIN", "controller.listener.names", "CONTROLLER", "log.dirs", logDir,
                "offsets.topic.replication.factor", "1"));
        server.put("advertised.listeners", "PLAIN://" + brokerIp + ":" + port);
        server.put("group.initial.rebalance.delay.ms", "0");
        write(brokerConfig.resolve("server.config"), server);
        try (var in = StrimziCompanionTest.class.getResourceAsStream("/child-broker-log4j2.properties")) {
            Files.copy(in, brokerConfig.resolve("log4j2.properties"));
        }
        Path start = kafkaImage.resolve("kafka-server-start.sh");
        Files.writeString(start, "#!/bin/sh\nexec \"$JAVA_HOME/bin/java\" -Xms64m -Xmx384m -XX:+UseSerialGC "
                + "-XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=/opt/kafka/custom-config/log4j2.properties -cp '"
                + System.getProperty("java.class.path") + "' kafka.Kafka \"$@\"\n");
        start.toFile().setExecutable(true);
        Map<String, String> format = new TreeMap<>(server);
        Path hostLogDir = Files.createDirectories(data.root().resolve(logDir.substring(DATA.length() + 1)));
        format.put("log.dirs", hostLogDir.toString());
        write(tmp.resolve("format.properties"), format);
        Deployment.Run formatted = Deployment.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool", "format", "-t",
                "Kw8tJqWxQ4yFq2g3zVn1bA", "-c", tmp.resolve("format.properties").toString()), tmp);
        assertThat(formatted.exitCode()).as(formatted.output()).isZero();
        Container.Mounts brokerMounts = new Container.Mounts().add(DATA, data.root())
                .add("/opt/kafka/custom-config", brokerConfig).add("/opt/kafka/bin", kafkaImage).addClassPath();
        List<String> brokerCommand = List.of("/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/custom-config/server.config");

        // The companion pod: the manifest's command and ConfigMap; the cluster's names resolved by
        // its /etc/hosts as the cluster's DNS would.
        long poll = Long.parseLong(guardian.getOrDefault("broker.state.poll.ms", "500"));
        Path guardianConfig = Files.createDirectories(tmp.resolve("guardian-config"));
        Map<String, String> props = new TreeMap<>(guardian);
        props.putAll(Map.of("reserve.arm.max.used.percent", "99", "scan.interval.ms", "2000",
                "http.listen", "127.0.0.1:9797", "stop.enabled", "false", "admin.timeout.ms", "5000",
                "cluster.view.enabled", "false"));
        for (String level : new String[] {"warn", "high", "critical"}) {
            props.put("pressure." + level + ".ratio", "1.0");
            props.put("pressure." + level + ".floor.bytes", "0");
            props.put("pressure." + level + ".headroom.bytes", "0");
        }
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n" + brokerIp + " " + brokerName + " " + bootstrapName + "\n");
        List<String> companionCommand = new ArrayList<>();
        container.path("command").forEach(c -> companionCommand.add(c.asText()));
        Container.Mounts companionMounts = new Container.Mounts().add(DATA, data.root())
                .add("/etc/kafka-guardian", guardianConfig).add(Deployment.GUARDIAN_HOME, Deployment.dist())
                .add("/etc/hosts", hosts);

        Container broker = Container.start("broker", tmp, brokerMounts, brokerCommand, Optional.of(brokerNs));
        Container companion = null;
        try {
            broker.awaitOutput("Kafka Server started", 0, Duration.ofSeconds(180));
            // Ballast, armed by the companion's image on the shared volume; the start after a crash
            // needs 12 MiB more than is usable: two 8 MiB tiers.
            write(guardianConfig.resolve("guardian.properties"), props);
            Container arm = Container.start("arm", tmp, companionMounts, List.of(Deployment.GUARDIAN_HOME + "/bin/guardian",
                    "ballast", "arm", "--config", "/etc/kafka-guardian/guardian.properties", "--size", "64M", "--tiers", "8"),
                    Optional.of(companionNs));
            assertThat(arm.awaitExit(Duration.ofSeconds(180))).as(arm.output()).isZero();
            long usable = Files.getFileStore(hostLogDir).getUsableSpace();
            props.put("recovery.margin.min.bytes", Long.toString(usable + 12 * MIB));
            write(guardianConfig.resolve("guardian.properties"), props);

            companion = Container.start("companion", tmp, companionMounts, companionCommand, Optional.of(companionNs));
            final Container c = companion;
            await("the companion sees the broker RUNNING across namespaces").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        assertThat(c.isAlive()).as(c.output()).isTrue();
                        return status(c).at("/observation/broker_state").asText().equals("RUNNING");
                    });
            assertThat(status(c).at("/observation/log_dirs/0/broker/detail").asText())
                    .isEqualTo("a process in another PID namespace holds .lock (F_GETLK); listener "
                    + brokerName + ":" + port + " accepts");

            Instant killed = Instant.now();
            broker.kill();
            Instant gone = Instant.now(); // the broker pod's unshare saw its pid 1 end: the lock is free by then
            Path manifest = data.root().resolve(".guardian-reserve-" + Path.of(logDir).getFileName()).resolve("manifest.json");
            try {
                await("ballast released after the kill -9").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> released(manifest).size() >= 2);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no release: manifest " + (Files.exists(manifest) ? Files.readString(manifest) : "missing")
                        + "\ncompanion:\n" + tail(c.output()), e);
            }
            Instant first = released(manifest).stream().min(Instant::compareTo).orElseThrow();
            double seconds = Duration.between(killed, first).toMillis() / 1000.0;
            System.out.printf("companion pod: kill -9 at %s -> release %.2f s (broker.state.poll.ms %d); the broker pod was gone"
                    + " %.2f s after the kill%n", killed, seconds, poll, Duration.between(killed, gone).toMillis() / 1000.0);
            c.output().lines().filter(l -> l.contains("STOPPED_UNCLEAN") || l.contains("releas")).limit(12)
                    .forEach(l -> System.out.println("  companion: " + l));
            assertThat(seconds).as("seconds from kill -9 to the companion's release").isLessThan(poll / 1000.0 + 1.0);

            // The kubelet restarts the broker container in its pod (same network namespace).
            broker = Container.start("broker", tmp, brokerMounts, brokerCommand, Optional.of(brokerNs));
            int before = 0;
            broker.awaitOutput("Kafka Server started", before, Duration.ofSeconds(180));
            await("the companion sees the restarted broker RUNNING").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> status(c).at("/observation/broker_state").asText().equals("RUNNING"));
        } finally {
            if (companion != null) {
                companion.close();
            }
            broker.close();
        }
    }

    /** The companion's status page, asked inside its pod's network (nothing else reaches it). */
    private JsonNode status(Container companion) {
        Deployment.Run run = Deployment.run(List.of("nsenter", "--net=/run/netns/" + companionNs, "curl", "-s", "-m", "5",
                "http://127.0.0.1:9797/api/v1/status"), tmp);
        try {
            return run.exitCode() == 0 ? new ObjectMapper().readTree(run.output()) : new ObjectMapper().createObjectNode();
        } catch (java.io.IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    private static List<Instant> released(Path manifest) throws Exception {
        List<Instant> out = new ArrayList<>();
        if (!Files.exists(manifest)) {
            return out;
        }
        JsonNode m;
        try {
            m = new ObjectMapper().readTree(Files.readString(manifest));
        } catch (java.io.IOException e) {
            return out; // being replaced
        }
        for (JsonNode t : m.path("tiers")) {
            if ("RELEASED".equals(t.path("state").asText()) && t.hasNonNull("releasedAt")
                    && t.path("lastTrigger").asText().replace('-', '_').equalsIgnoreCase("UNCLEAN_SHUTDOWN")) {
                out.add(Instant.parse(t.path("releasedAt").asText()));
            }
        }
        return out;
    }

    private static String tail(String out) {
        return out.length() > 8000 ? out.substring(out.length() - 8000) : out;
    }

    private static void write(Path file, Map<String, String> values) throws Exception {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, s.toString());
    }
}
