package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.reserve.ReservePlacement;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prestart during an incident: the cluster's name does not resolve, one reserve is locked by a
 * stuck process, a log dir is gone. Prestart decides on what it can read, reports what it cannot,
 * and blocks the broker only for a reasoned "this start would not fit" (or when
 * {@code prestart.on.error=block} says so).
 */
class PrestartIncidentTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension diskA = SmallFilesystemExtension.tmpfs(64 * MIB);

    @RegisterExtension
    final SmallFilesystemExtension diskB = SmallFilesystemExtension.tmpfs(64 * MIB);

    @TempDir
    Path tmp;

    @Test
    void anUnresolvableBootstrapIsDecidedOnLocalFactsAndTheBrokerMayStart() throws Exception {
        Path logDir = uncleanLogDir(diskA.root());
        Path config = config(List.of(logDir), Map.of("bootstrap.servers", "no-such-broker.invalid:9092", "node.id", "1"));
        armAndFill(config, logDir, diskA);

        CliRun run = CliRun.of("prestart", "--config", config.toString(), "--output", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.at("/decided_on_local_facts").asBoolean()).isTrue();
        assertThat(json.at("/cluster_problem").asText()).startsWith("cluster unavailable: ").contains("no-such-broker.invalid");
        assertThat(json.at("/filesystems/0/decision/outcome").asText()).isEqualTo("RELEASE");
        assertThat(json.at("/released/0/tiers").size()).isPositive();
        assertThat(json.at("/problems").size()).isZero();

        CliRun text = CliRun.of("prestart", "--config", config.toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("Decided on local facts (the cluster was not asked or did not answer: cluster unavailable: ")
                .contains("The broker may start.");
    }

    @Test
    void aBlackHoleClusterIsGivenUpAfterTheTimeoutAndTheDecisionIsLocal() throws Exception {
        Path logDir = uncleanLogDir(diskA.root());
        try (io.archiveguardian.guardian.sidecar.BlackHole hole = new io.archiveguardian.guardian.sidecar.BlackHole()) {
            Path config = config(List.of(logDir), Map.of("bootstrap.servers", hole.address(), "node.id", "1",
                    "prestart.cluster.timeout.ms", "1000"));
            armAndFill(config, logDir, diskA);

            long start = System.nanoTime();
            CliRun run = CliRun.of("prestart", "--config", config.toString(), "--output", "json");
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(hole.accepted()).as("prestart did try the cluster").isPositive();
            JsonNode json = Json.MAPPER.readTree(run.out());
            assertThat(json.at("/decided_on_local_facts").asBoolean()).isTrue();
            // Which timeout fires first, the call's own or the wait for its answer, reads the same.
            assertThat(json.at("/cluster_problem").asText())
                    .contains("within 1000 ms (prestart.cluster.timeout.ms): the cluster did not answer")
                    .endsWith("(tried " + hole.address() + ")");
            assertThat(json.at("/released/0/tiers").size()).isPositive();
            assertThat(seconds).as("bounded by prestart.cluster.timeout.ms, not by the Admin defaults").isLessThan(10.0);
        }
    }

    @Test
    void anUnresolvableBootstrapWithADiskThatCannotHoldTheStartExits10OnLocalFacts() throws Exception {
        Path logDir = uncleanLogDir(diskA.root());
        Path config = config(List.of(logDir), Map.of("bootstrap.servers", "no-such-broker.invalid:9092", "node.id", "1",
                "recovery.margin.min.bytes", Long.toString(512 * MIB)));
        armAndFill(config, logDir, diskA);

        CliRun run = CliRun.of("prestart", "--config", config.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(10);
        assertThat(run.out()).contains("Decided on local facts").contains("DO NOT START THE BROKER")
                .contains("The cluster could not be asked for a drop plan now.");
    }

    @Test
    void aLockedReserveOnOneFilesystemIsReportedAndTheOtherFilesystemIsStillReleased() throws Exception {
        Path a = uncleanLogDir(diskA.root());
        Path b = uncleanLogDir(diskB.root());
        Path config = config(List.of(a, b), Map.of("reserve.lock.timeout.ms", "300"));
        armAndFill(config, a, diskA);
        armAndFill(config, b, diskB);
        Path lockOfA = ReservePlacement.resolve(a, List.of(a, b), Optional.empty()).lockFile();
        Process stuck = holdLock(lockOfA);
        try {
            CliRun run = CliRun.of("prestart", "--config", config.toString(), "--output", "json");

            assertThat(run.exitCode()).as("prestart.on.error=start: " + run.out() + run.err()).isZero();
            JsonNode json = Json.MAPPER.readTree(run.out());
            assertThat(json.at("/failures").size()).isEqualTo(1);
            assertThat(json.at("/failures/0/log_dir").asText()).isEqualTo(a.toString());
            assertThat(json.at("/failures/0/error").asText()).contains("is locked by another process");
            assertThat(json.at("/released").size()).isEqualTo(1);
            assertThat(json.at("/released/0/log_dir").asText()).isEqualTo(b.toString());
            assertThat(json.at("/released/0/tiers").size()).as("the other filesystem was handled in the same run").isPositive();
            assertThat(run.err()).contains("!!! GUARDIAN PRESTART FAILED: the reserve of " + a + " cannot be read")
                    .contains("!!! prestart.on.error=start: exit 0, the broker starts WITHOUT the guardian's check.");

            Path blocking = config(List.of(a, b), Map.of("reserve.lock.timeout.ms", "300", "prestart.on.error", "block"));
            CliRun block = CliRun.of("prestart", "--config", blocking.toString());
            assertThat(block.exitCode()).as(block.out() + block.err()).isEqualTo(1);
            assertThat(block.err()).contains("!!! prestart.on.error=block: exit 1");
        } finally {
            stuck.destroyForcibly().waitFor();
        }
    }

    @Test
    void aMissingLogDirLetsTheBrokerStartLoudlyUnlessThePolicyBlocks() throws Exception {
        Path a = uncleanLogDir(diskA.root());
        Path gone = diskB.root().resolve("kafka-logs-gone");
        Path config = config(List.of(a, gone), Map.of());

        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.logging.log4j.core.Logger eventLogger =
                (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager.getLogger("guardian.events");
        var capture = new org.apache.logging.log4j.core.appender.AbstractAppender("capture", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent event) {
                events.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        eventLogger.addAppender(capture);
        CliRun run;
        try {
            run = CliRun.of("prestart", "--config", config.toString());
        } finally {
            eventLogger.removeAppender(capture);
        }
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(events).singleElement().satisfies(e -> {
            JsonNode event = Json.MAPPER.readTree(e);
            assertThat(event.get("subject").asText()).isEqualTo("prestart");
            assertThat(event.get("state").asText()).isEqualTo("FAILED_START_ALLOWED");
            assertThat(event.get("detail").asText()).isEqualTo("log dir " + gone + " is missing or unreadable; it was not assessed");
        });
        assertThat(run.out()).contains("PROBLEM: log dir " + gone + " is missing or unreadable; it was not assessed");
        assertThat(run.err()).contains("!!! GUARDIAN PRESTART FAILED: log dir " + gone + " is missing or unreadable");

        Path blocking = config(List.of(a, gone), Map.of("prestart.on.error", "block"));
        assertThat(CliRun.of("prestart", "--config", blocking.toString()).exitCode()).isEqualTo(1);

        Path none = config(List.of(gone), Map.of());
        CliRun nothing = CliRun.of("prestart", "--config", none.toString(), "--output", "json");
        assertThat(nothing.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(nothing.out()).at("/failed").asBoolean()).isTrue();
        assertThat(nothing.err()).contains("!!! GUARDIAN PRESTART FAILED: no log dir can be read: [" + gone + "]");
    }

    @Test
    void aBadPolicyValueIsAUsageError() throws Exception {
        Path a = uncleanLogDir(diskA.root());
        CliRun run = CliRun.of("prestart", "--config", config(List.of(a), Map.of("prestart.on.error", "maybe")).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: configuration: prestart.on.error=maybe: String must be one "
                + "of: start, block. Every key, its range and unit: docs/configuration.md.\n");
    }

    /** A formatted log dir after a kill -9: meta.properties and .lock, no clean-shutdown marker. */
    private static Path uncleanLogDir(Path root) throws IOException {
        Path logDir = Files.createDirectories(root.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        Path partition = Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[2 * (int) MIB]);
        Files.writeString(logDir.resolve("recovery-point-offset-checkpoint"), "0\n1\narchive 0 0\n");
        return logDir;
    }

    private Path config(List<Path> logDirs, Map<String, String> extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("log.dirs", String.join(",", logDirs.stream().map(Path::toString).toList()));
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("recovery.margin.min.bytes", Long.toString(8 * MIB));
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.putAll(new HashMap<>(extra));
        Path file = Files.createTempFile(tmp, "guardian", ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    /** 32 MiB of ballast in 4 tiers, then other data until 4 MiB stay usable. */
    private static void armAndFill(Path config, Path logDir, SmallFilesystemExtension disk) throws IOException {
        CliRun arm = CliRun.of("ballast", "arm", "--config", config.toString(), "--logdir", logDir.toString(),
                "--size", "32M", "--tiers", "4");
        assertThat(arm.exitCode()).as(arm.out() + arm.err()).isZero();
        try (RandomAccessFile f = new RandomAccessFile(disk.root().resolve("other-data").toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            long toWrite = (disk.filesystem().dfAvailableBytes() - 4 * MIB) / MIB;
            for (long i = 0; i < toWrite; i++) {
                f.write(block);
            }
        }
    }

    static Process holdLock(Path file) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx32m",
                io.archiveguardian.guardian.broker.LockHolderMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("LOCKED");
        return p;
    }
}
