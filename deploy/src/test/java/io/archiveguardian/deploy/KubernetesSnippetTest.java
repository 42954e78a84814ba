package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.archiveguardian.testsupport.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/broker-pod-snippet.yaml as a pod would run it (no cluster here: the commands
 * are run as the container runtime runs them, from the real distribution): the broker container's
 * {@code sh -c} is KubernetesBrokerCommandTest's (it needs root for a small disk); the sidecar's
 * command answers the probes the snippet points at. The pod-level settings the guardian relies on are read
 * from the YAML.
 */
class KubernetesSnippetTest {

    static final String SNIPPET = "kubernetes/broker-pod-snippet.yaml";

    @TempDir
    Path tmp;

    static JsonNode pod() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Deployment.file(SNIPPET));
    }

    static JsonNode container(JsonNode pod, String list, String name) {
        return StreamSupport.stream(pod.get(list).spliterator(), false).filter(c -> name.equals(c.get("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + list + " entry named " + name));
    }

    static List<String> command(JsonNode container) {
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
