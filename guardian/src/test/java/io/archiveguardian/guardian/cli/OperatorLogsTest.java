package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archiveguardian.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads on stderr during the first minute: the real {@code guardian demo} (an
 * in-process broker, its producer and the sidecar with its cluster view) and a real
 * {@code guardian run} whose broker and cluster do not answer, each in its own JVM, counted line by
 * line. Problems are said once, not per retry; a healthy single node says none. The same processes
 * show the documented exit codes: 130 after Ctrl-C (SIGINT) on the demo, 143 after SIGTERM on run,
 * and the silent-cluster run writes its log as JSON lines (log.format=json).
 */
@Tag("broker")
class OperatorLogsTest {

    /** How long each process runs before it is stopped: long enough for Streams rebalances and client retries. */
    static final Duration RUNNING = Duration.ofSeconds(35);

    @TempDir
    Path tmp;

    @Test
    void aHealthyDemoWarnsAtMostTwiceAndExits130OnCtrlC() throws Exception {
        Guardian demo = Guardian.start(tmp, "demo", "--data-dir", tmp.resolve("demo").toString(),
                "--http-listen", "127.0.0.1:0");
        demo.awaitStdout("Press Ctrl-C to stop.", Duration.ofSeconds(120));
        Thread.sleep(RUNNING.toMillis());
        int exit = demo.signal("INT");
        List<String> warnings = demo.warnings();
        System.out.printf("guardian demo: %d WARN lines of %d stderr lines in %d s%n%s%n", warnings.size(),
                demo.stderr().size(), RUNNING.toSeconds(), String.join("\n", warnings));
        assertThat(exit).as(demo.tail()).isEqualTo(130);
        assertThat(warnings).as(demo.tail()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aSidecarWhoseClusterIsDownSaysSoOnceAndExits143OnSigterm() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        int silent = Ports.free(); // nothing listens there: the broker and its cluster are down
        Path config = tmp.resolve("guardian.properties");
        Files.writeString(config, String.join("\n",
                "log.dirs=" + logDir,
                "bootstrap.servers=127.0.0.1:" + silent,
                "node.id=1", // so the cluster view and the cordon duty try the cluster too
                "http.listen=127.0.0.1:0",
                "state.dir=" + tmp.resolve("state"),
                "scan.interval.ms=2000",
                "admin.timeout.ms=5000",
                "log.format=json", ""));
        Guardian run = Guardian.start(tmp, "run", "--config", config.toString());
        run.awaitStdout("guardian sidecar watching", Duration.ofSeconds(60));
        Thread.sleep(RUNNING.toMillis());
        int exit = run.signal("TERM");
        List<String> warnings = run.warnings();
        System.out.printf("guardian run, cluster down: %d WARN lines of %d stderr lines in %d s%n%s%n", warnings.size(),
                run.stderr().size(), RUNNING.toSeconds(), String.join("\n", warnings));
        assertThat(exit).as(run.tail()).isEqualTo(143);
        assertThat(warnings).as(run.tail()).hasSizeLessThanOrEqualTo(2);
        assertThat(warnings).as("the problem is said, once, by the guardian")
                .anySatisfy(w -> assertThat(w).contains("the cluster does not answer ("));
        ObjectMapper json = new ObjectMapper();
        assertThat(run.stderr()).as("log.format=json: log lines and events alike, one JSON object each").isNotEmpty()
                .allSatisfy(line -> assertThat(json.readTree(line).isObject()).as(line).isTrue());
        assertThat(run.stderr()).as("log lines have their fields").anySatisfy(line -> {
            var n = json.readTree(line);
            assertThat(n.path("level").asText() + " " + n.path("logger").asText() + " " + n.path("thread").isTextual()
                    + " " + n.path("time").isTextual())
                    .isEqualTo("WARN io.archiveguardian.guardian.cluster.ClusterConnection true true");
        });
    }

    /** A {@code guardian} command in its own JVM, stdout and stderr in files. */
    record Guardian(Process process, Path out, Path err) {

        static Guardian start(Path dir, String... args) throws IOException {
            Path out = Files.createTempFile(dir, "guardian", ".out");
            Path err = Files.createTempFile(dir, "guardian", ".err");
            // env --default-signal: a JVM started from a background job inherits SIGINT ignored and then
            // never sees Ctrl-C; a terminal's foreground job, which the test stands for, does not.
            // log4j2.configurationFile: the product's log4j2.xml, not the tests' copy, which the classpath prefers.
            List<String> command = new java.util.ArrayList<>(List.of("env", "--default-signal=INT",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx512m",
                    "-Dlog4j2.configurationFile=log4j2.xml", Main.class.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Guardian(p, out, err);
        }

        void awaitStdout(String line, Duration within) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (!Files.readString(out).contains(line)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("no '" + line + "' on stdout\n" + Files.readString(out) + tail());
                }
                Thread.sleep(200);
            }
        }

        /** Sends the signal and returns the exit code. */
        int signal(String name) throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError("did not stop within 90 s of SIG" + name + "\n" + tail());
            }
            return process.exitValue();
        }

        List<String> stderr() throws IOException {
            return Files.readAllLines(err);
        }

        /** Log4j's WARN lines, as text or JSON, and the commands' own "WARNING:" lines. */
        List<String> warnings() throws IOException {
            return stderr().stream().filter(l -> l.contains(" WARN ") || l.contains("\"level\":\"WARN\"")
                    || l.startsWith("WARNING:")).toList();
        }

        String tail() {
            try {
                List<String> lines = stderr();
                return "stderr:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
