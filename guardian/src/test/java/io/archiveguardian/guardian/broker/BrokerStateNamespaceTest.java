package io.archiveguardian.guardian.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar in another PID namespace (a Kubernetes sidecar container without
 * shareProcessNamespace) sees none of the broker's locks in /proc/locks. {@code guardian status} run
 * inside {@code unshare --pid --fork --mount-proc} must still tell a running broker from a killed
 * one and from a clean stop.
 */
@Tag("broker")
class BrokerStateNamespaceTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void requireUnshare() {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("unshare");
    }

    @Test
    void statusInAnotherPidNamespaceSeesRunningThenUncleanThenClean() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).baseDir(tmp.resolve("cluster")).build().start()) {
            ChildBroker broker = cluster.broker(1);
            Path lock = broker.logDirs().get(0).resolve(".lock");

            // The premise: in the new namespace /proc/locks does not list the broker's lock.
            String procLocks = Commands.check("unshare", "--pid", "--fork", "--mount-proc", "cat", "/proc/locks");
            String inode = Files.getAttribute(lock, "unix:ino").toString();
            assertThat(procLocks).doesNotContain(":" + inode + " ");

            JsonNode running = statusInNewNamespace(broker);
            assertThat(running.at("/observation/broker_state").asText()).as(running.toString()).isEqualTo("RUNNING");
            assertThat(running.at("/observation/log_dirs/0/broker/detail").asText())
                    .isEqualTo("a process in another PID namespace holds .lock (F_GETLK); listener 127.0.0.1:"
                            + broker.port() + " accepts");

            broker.kill();
            JsonNode killed = statusInNewNamespace(broker);
            assertThat(killed.at("/observation/broker_state").asText()).as(killed.toString()).isEqualTo("STOPPED_UNCLEAN");

            broker.start().awaitStarted(Duration.ofSeconds(120));
            assertThat(statusInNewNamespace(broker).at("/observation/broker_state").asText()).isEqualTo("RUNNING");
            broker.stop();
            JsonNode clean = statusInNewNamespace(broker);
            assertThat(clean.at("/observation/broker_state").asText()).as(clean.toString()).isEqualTo("STOPPED_CLEAN");
        }
    }

    private JsonNode statusInNewNamespace(ChildBroker broker) throws Exception {
        Path out = Files.createTempFile(tmp, "status", ".json");
        Path err = Files.createTempFile(tmp, "status", ".err");
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                // As in the distribution: the guardian's own logging (stderr). On the test class
                // path Kafka's test jars bring a log4j2.yaml that would win and log to stdout.
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "status", "--broker-config", broker.serverProperties().toString(), "--output", "json")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(out) + Files.readString(err)).isZero();
        return Json.MAPPER.readTree(Files.readString(out));
    }
}
