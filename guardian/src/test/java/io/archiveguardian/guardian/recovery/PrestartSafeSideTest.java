package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.reserve.ReserveLocation;
import io.archiveguardian.reserve.ReservePlacement;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where prestart cannot know, it takes the safe side and says so: an UNKNOWN broker is not treated
 * as stopped, an unreadable reserve is not treated as no ballast, and a corrupt growth record is
 * not treated as no catch-up. On a loop-mounted ext4.
 */
class PrestartSafeSideTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(96 * MIB);

    @TempDir
    Path tmp;

    @Test
    void anUnknownBrokerStateExits3AndChangesNothing() throws Exception {
        Path logDir = uncleanLogDir();
        // No lock holder, but the broker's own listener answers: a broker may run where its lock
        // cannot be seen (another PID namespace). The state is UNKNOWN.
        try (ServerSocket listener = new ServerSocket(0)) {
            Path server = Files.writeString(tmp.resolve("server.properties"), "node.id=1\nlog.dirs=" + logDir + "\n"
                    + "listeners=PLAINTEXT://127.0.0.1:" + listener.getLocalPort() + "\n");
            Path config = config(logDir, Map.of("broker.config", server.toString()));
            assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "2").exitCode())
                    .isZero();
            needMoreThanUsable(config, logDir, 8 * MIB); // a stopped broker's start would need a tier released
            Map<String, Long> before = files(disk.root());

            CliRun run = CliRun.of("prestart", "--config", config.toString());

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
            assertThat(run.out()).contains("the broker is UNKNOWN").contains("Nothing was changed.");
            assertThat(files(disk.root())).as("nothing released").isEqualTo(before);
        }
    }

    @Test
    void anUnreadableReserveFollowsPrestartOnErrorInsteadOfCountingAsNoBallast() throws Exception {
        Path logDir = uncleanLogDir();
        Path config = config(logDir, Map.of("prestart.on.error", "block"));
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "2").exitCode())
                .isZero();
        needMoreThanUsable(config, logDir, 8 * MIB);
        // The reserve cannot be read: its manifest is a directory now (an I/O error on the real thing).
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.empty());
        Files.delete(location.manifestFile());
        Files.createDirectory(location.manifestFile());

        CliRun run = CliRun.of("prestart", "--config", config.toString());

        assertThat(run.exitCode()).as("not 10 from a reserve read as empty: " + run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).contains("GUARDIAN PRESTART FAILED").contains("reserve").contains("cannot be read")
                .contains("prestart.on.error=block");
        assertThat(run.out()).doesNotContain("DO NOT START");
    }

    @Test
    void aCorruptGrowthRecordIsReportedAndFollowsPrestartOnError() throws Exception {
        Path logDir = uncleanLogDir();
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.writeString(state.resolve("growth.json"), "{\"updated\":\"2026-12-05T10:00:00Z\",\"log_dirs\":{\"/x\":{\"write_b");
        Path config = config(logDir, Map.of("state.dir", state.toString(), "prestart.on.error", "block"));

        CliRun blocked = CliRun.of("prestart", "--config", config.toString());

        assertThat(blocked.exitCode()).as(blocked.out() + blocked.err()).isEqualTo(1);
        assertThat(blocked.err()).contains("GUARDIAN PRESTART FAILED").contains("growth record")
                .contains(state.resolve("growth.json").toString()).contains("cannot be read");

        Path lenient = config(logDir, Map.of("state.dir", state.toString(), "prestart.on.error", "start"));
        CliRun allowed = CliRun.of("prestart", "--config", lenient.toString());
        assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.err()).contains("GUARDIAN PRESTART FAILED").contains("growth record");
        assertThat(allowed.out()).contains("catch-up unknown");
    }

    /** A formatted log dir after a kill -9: meta.properties and .lock, no clean-shutdown marker. */
    private Path uncleanLogDir() throws IOException {
        return UncleanLogDir.create(disk.root(), (int) MIB);
    }

    /** Sets the margin so that the start needs {@code more} than is usable now (a tier must go). */
    private void needMoreThanUsable(Path config, Path logDir, long more) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(config)) {
            p.load(r);
        }
        p.setProperty("recovery.margin.min.bytes", Long.toString(Files.getFileStore(logDir).getUsableSpace() + more));
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
    }

    private Path config(Path logDir, Map<String, String> extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("recovery.margin.min.bytes", Long.toString(4 * MIB));
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.putAll(extra);
        Path file = Files.createTempFile(tmp, "guardian", ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private static Map<String, Long> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            Map<String, Long> out = new TreeMap<>();
            s.filter(Files::isRegularFile).forEach(p -> out.put(root.relativize(p).toString(), p.toFile().length()));
            return out;
        }
    }
}
