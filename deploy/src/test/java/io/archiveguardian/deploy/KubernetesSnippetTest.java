package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.recovery.GrowthRecord;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/broker-pod-snippet.yaml as a pod would run it (no cluster here: the commands
 * are run as the container runtime runs them, from the real distribution): the broker container's
 * {@code sh -c} starts the broker only when prestart lets it, and execs it; the sidecar's command
 * answers the probes the snippet points at. The pod-level settings the guardian relies on are read
 * from the YAML.
 */
class KubernetesSnippetTest {

    static final long MIB = 1024L * 1024L;
    static final String SNIPPET = "kubernetes/broker-pod-snippet.yaml";

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    private static JsonNode pod() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Deployment.file(SNIPPET));
    }

    private static JsonNode container(JsonNode pod, String list, String name) {
        return StreamSupport.stream(pod.get(list).spliterator(), false).filter(c -> name.equals(c.get("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + list + " entry named " + name));
    }

    private static List<String> command(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.get("command").forEach(c -> out.add(c.asText()));
        return out;
    }

    @Test
    void thePodSharesItsProcessNamespaceAndTheSidecarSeesTheDataAtTheBrokersPath() throws Exception {
        JsonNode pod = pod();
        assertThat(pod.get("shareProcessNamespace").asBoolean()).as("F_GETLK's fallback needs it").isTrue();
        JsonNode sidecar = container(pod, "initContainers", "guardian");
        assertThat(sidecar.get("restartPolicy").asText()).as("a native sidecar: it outlives broker restarts").isEqualTo("Always");
        JsonNode kafka = container(pod, "containers", "kafka");
        for (String volume : List.of("data", "broker-config", "guardian-config")) {
            assertThat(mountPath(sidecar, volume)).as(volume + " at the broker's path").isEqualTo(mountPath(kafka, volume));
        }
        assertThat(mountPath(kafka, "guardian-dist")).isEqualTo(Deployment.GUARDIAN_HOME);
        assertThat(sidecar.at("/readinessProbe/httpGet/port").asText()).isEqualTo(sidecar.at("/ports/0/name").asText());
    }

    private static String mountPath(JsonNode container, String volume) {
        return StreamSupport.stream(container.get("volumeMounts").spliterator(), false)
                .filter(m -> volume.equals(m.get("name").asText())).map(m -> m.get("mountPath").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(container.get("name") + " does not mount " + volume));
    }

    @Test
    void theBrokerContainerStartsTheBrokerOnlyWhenPrestartLetsItAndExecsIt() throws Exception {
        Deployment host = new Deployment(tmp);
        List<String> command = command(container(pod(), "containers", "kafka"));
        assertThat(command).hasSize(3).startsWith("sh", "-c");
        List<String> sh = List.of("sh", "-c", host.materialise(command.get(2)));

        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        Files.writeString(logDir.resolve(".kafka_cleanshutdown"), "");
        Path state = tmp.resolve("state");
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", logDir.toString()));
        host.write(host.guardianProperties, Map.of("state.dir", state.toString(), "recovery.margin.min.bytes",
                Long.toString(4 * MIB), "reserve.arm.max.used.percent", "99"));

        Deployment.Run fits = Deployment.run(sh, tmp);
        assertThat(fits.exitCode()).as(fits.output()).isZero();
        assertThat(host.startedAs()).as("exec: the broker is the container's main process, so it gets SIGTERM")
                .isEqualTo(fits.pid() + " " + host.serverProperties);

        // After a kill -9 of a busy broker (4 MiB/s, down a minute) the 128 MiB disk cannot hold the
        // catch-up even with all its ballast: prestart exits 10 and the broker is not started.
        Files.delete(host.started);
        Files.delete(logDir.resolve(".kafka_cleanshutdown"));
        Path partition = Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[2 * (int) MIB]);
        Files.writeString(logDir.resolve("recovery-point-offset-checkpoint"), "0\n1\narchive 0 0\n");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                new GrowthRecord.LogDir(4.0 * MIB, Instant.now().minusSeconds(60)))).write(state);
        StringWriter arm = new StringWriter();
        assertThat(Main.execute(new PrintWriter(arm), new PrintWriter(arm), "ballast", "arm", "--broker-config",
                host.serverProperties.toString(), "--config", host.guardianProperties.toString(), "--size", "8M",
                "--tiers", "2")).as(arm.toString()).isZero();
        Deployment.Run tooFull = Deployment.run(sh, tmp);
        assertThat(tooFull.exitCode()).as(tooFull.output()).isEqualTo(10);
        assertThat(tooFull.output()).contains("DO NOT START THE BROKER");
        assertThat(host.startedAs()).as("the broker was not started").isNull();

        // prestart failing itself (its log dir is gone) lets the broker start, loudly.
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", disk.root().resolve("gone").toString()));
        Deployment.Run failing = Deployment.run(sh, tmp);
        assertThat(failing.exitCode()).as(failing.output()).isZero();
        assertThat(failing.output()).contains("!!! prestart.on.error=start");
        assertThat(host.startedAs()).isEqualTo(failing.pid() + " " + host.serverProperties);
    }

    @Test
    void theSidecarContainerAnswersTheProbesTheSnippetPointsAt() throws Exception {
        Deployment host = new Deployment(tmp);
        JsonNode sidecar = container(pod(), "initContainers", "guardian");
        List<String> command = new ArrayList<>();
        command(sidecar).forEach(c -> command.add(host.materialise(c)));
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        int port = Ports.free();
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", logDir.toString()));
        host.write(host.guardianProperties, Map.of("state.dir", tmp.resolve("state").toString(),
                "http.listen", "127.0.0.1:" + port, "reserve.auto.arm", "false"));
        try (SidecarProcess process = SidecarProcess.start(command, tmp, port)) {
            process.awaitAnswering(sidecar.at("/readinessProbe/httpGet/path").asText(),
                    sidecar.at("/livenessProbe/httpGet/path").asText(), "/metrics");
            assertThat(process.terminate()).as("SIGTERM from the kubelet ends it:\n" + process.output()).isIn(0, 143);
        }
    }
}
