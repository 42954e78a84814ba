package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker host as the deploy files expect it, in a temporary directory: the paths the files
 * name (/opt/kafka-guardian, /etc/kafka/server.properties, /etc/kafka-guardian/guardian.properties,
 * /opt/kafka/bin/kafka-server-start.sh) mapped to the real distribution and to files written here,
 * and a stand-in for Kafka's start script that records how it was started.
 */
final class Deployment {

    static final String GUARDIAN_HOME = "/opt/kafka-guardian";
    static final String SERVER_PROPERTIES = "/etc/kafka/server.properties";
    static final String GUARDIAN_PROPERTIES = "/etc/kafka-guardian/guardian.properties";
    static final String KAFKA_START = "/opt/kafka/bin/kafka-server-start.sh";

    final Path root;
    final Path serverProperties;
    final Path guardianProperties;
    final Path kafkaStart;
    /** Written by the stand-in start script: its pid and its arguments. */
    final Path started;

    Deployment(Path root) throws IOException {
        this.root = root;
        this.serverProperties = root.resolve("server.properties");
        this.guardianProperties = root.resolve("guardian.properties");
        this.kafkaStart = root.resolve("kafka-server-start.sh");
        this.started = root.resolve("kafka-started");
        Files.writeString(kafkaStart, "#!/bin/sh\necho \"$$ $*\" > '" + started + "'\n");
        kafkaStart.toFile().setExecutable(true);
    }

    /** The real distribution, built by the guardian module before this module's tests. */
    static Path dist() {
        Path dist = Path.of(System.getProperty("guardian.dist", "../guardian/target/dist")).toAbsolutePath().normalize();
        assertThat(dist.resolve("bin/guardian")).as("the distribution: build the guardian module first (./mvnw package)")
                .isExecutable();
        return dist;
    }

    /** A file under deploy/ as shipped. */
    static String file(String relative) {
        Path dir = Path.of(System.getProperty("guardian.deploy", ".")).toAbsolutePath().normalize();
        try {
            return Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text with every host path the deploy files use mapped to this deployment; none may be left. */
    String materialise(String text) {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put(GUARDIAN_HOME, dist().toString());
        paths.put(SERVER_PROPERTIES, serverProperties.toString());
        paths.put(GUARDIAN_PROPERTIES, guardianProperties.toString());
        paths.put(KAFKA_START, kafkaStart.toString());
        String out = text;
        for (var e : paths.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        assertThat(out).as("a path the test does not map").doesNotContain("/opt/").doesNotContain("/etc/kafka");
        return out;
    }

    void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder s = new StringBuilder();
        properties.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, s.toString());
    }

    /** What the stand-in start script recorded, or null when the broker was not started. */
    String startedAs() throws IOException {
        return Files.exists(started) ? Files.readString(started).trim() : null;
    }

    /** A process run to its end. */
    record Run(int exitCode, long pid, String output) {
    }

    static Run run(List<String> command, Path dir) {
        try {
            Path log = Files.createTempFile(dir, "run-", ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after 180 s: " + command + "\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), p.pid(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Splits a systemd command line as systemd does for one without quotes (the test asserts there are none). */
    static List<String> words(String commandLine) {
        assertThat(commandLine).as("no quoting in the command line").doesNotContain("\"").doesNotContain("'");
        return new ArrayList<>(List.of(commandLine.trim().split("\\s+")));
    }
}
