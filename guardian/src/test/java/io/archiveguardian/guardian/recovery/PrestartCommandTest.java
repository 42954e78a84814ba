package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PrestartCommandTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void onADiskNothingCanSaveItExits10AndDeletesNothing() throws Exception {
        Path logDir = uncleanLogDir();
        // A busy broker (4 MiB/s) down for a minute: about 240 MiB to catch up, on a 128 MiB disk; and
        // what is known without that estimate (recovery, start-up writes, a margin of 10 x the need)
        // does not fit either.
        Path state = tmp.resolve("state");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                new GrowthRecord.LogDir(4.0 * MIB, Instant.now().minusSeconds(60)))).write(state);
        Path config = config(logDir, Map.of("state.dir", state.toString(), "recovery.margin.ratio", "10"));
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "8M", "--tiers", "2").exitCode()).isZero();
        Map<String, Long> before = files(disk.root());

        CliRun run = CliRun.of("prestart", "--config", config.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(10);
        assertThat(run.out()).contains("the broker is STOPPED_UNCLEAN (the next start recovers its logs)")
                .contains("SHORT BY").contains("Nothing was released or deleted.")
                .contains("DO NOT START THE BROKER")
                .contains("guardian drop --config " + config.toAbsolutePath() + " --logdir " + logDir + " --need ")
                .contains("B --purge   (add --execute to carry it out; --purge deletes the local copies, no undo)");
        assertThat(files(disk.root())).as("every file, ballast included, is untouched").isEqualTo(before);
    }

    @Test
    void aCatchUpEstimateTheClusterDidNotConfirmDoesNotBlockTheStart() throws Exception {
        Path logDir = uncleanLogDir();
        // The same 240 MiB estimate on the 128 MiB disk, but nothing confirms it (no cluster answers):
        // after a power cut of the whole cluster nobody wrote anything while this broker was down.
        Path state = tmp.resolve("state");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                new GrowthRecord.LogDir(4.0 * MIB, Instant.now().minusSeconds(60)))).write(state);
        Path config = config(logDir, Map.of("state.dir", state.toString(), "bootstrap.servers", "127.0.0.1:" + Ports.free(),
                "node.id", "1", "prestart.cluster.timeout.ms", "1000"));
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "8M", "--tiers", "2").exitCode()).isZero();

        CliRun run = CliRun.of("prestart", "--config", config.toString(), "--output", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode fs = Json.MAPPER.readTree(run.out()).at("/filesystems/0");
        assertThat(fs.at("/need/catch_up_source").asText()).isEqualTo("ESTIMATE");
        assertThat(fs.at("/need/catch_up_bytes").asLong()).isGreaterThan(200 * MIB);
        assertThat(fs.at("/decision/covered_bytes").asLong())
                .isEqualTo(fs.at("/need/total_bytes").asLong() - fs.at("/need/catch_up_bytes").asLong());
        assertThat(fs.at("/decision/reason").asText()).contains("without the catch-up estimate")
                .contains("which the cluster did not confirm");
        CliRun text = CliRun.of("prestart", "--config", config.toString(), "--dry-run");
        assertThat(text.exitCode()).as(text.out() + text.err()).isZero();
        assertThat(text.out()).doesNotContain("DO NOT START").contains("without the catch-up estimate");
    }

    @Test
    void anUnreachableClusterFallsBackToTheRecordedWriteRateAndSaysItIsAnEstimate() throws Exception {
        Path logDir = uncleanLogDir();
        Path state = tmp.resolve("state");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                // 0.1 MiB/s for 400 s: 40 MiB, growing slowly enough that a second run seconds later still fits
                new GrowthRecord.LogDir(0.1 * MIB, Instant.now().minusSeconds(400)))).write(state);
        Path config = config(logDir, Map.of("bootstrap.servers", "127.0.0.1:" + Ports.free(), "node.id", "1",
                "prestart.cluster.timeout.ms", "1000", "state.dir", state.toString()));
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "64M", "--tiers", "4").exitCode()).isZero();
        fillUntilUsable(16 * MIB);

        CliRun first = CliRun.of("prestart", "--config", config.toString(), "--output", "json");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        JsonNode fs = Json.MAPPER.readTree(first.out()).at("/filesystems/0");
        assertThat(fs.at("/need/catch_up_source").asText()).isEqualTo("ESTIMATE");
        assertThat(fs.at("/need/catch_up_bytes").asLong()).isBetween(40 * MIB, 48 * MIB);
        assertThat(fs.at("/need/explanation").toString()).contains("estimated as measured write rate x time down");
        assertThat(fs.at("/decision/outcome").asText()).isEqualTo("RELEASE");
        assertThat(Json.MAPPER.readTree(first.out()).at("/released/0/tiers").size()).isPositive();

        CliRun second = CliRun.of("prestart", "--config", config.toString(), "--output", "json");
        assertThat(second.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(second.out()).at("/filesystems/0/decision/outcome").asText())
                .as("safe to run twice").isEqualTo("ENOUGH");
    }

    @Test
    void aRunningBrokerIsRefusedWithExit3AndNothingChanges() throws Exception {
        Path logDir = uncleanLogDir();
        Path config = config(logDir, Map.of());
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "8M", "--tiers", "2").exitCode()).isZero();
        Map<String, Long> before = files(disk.root());
        try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            CliRun run = CliRun.of("prestart", "--config", config.toString());
            assertThat(run.exitCode()).isEqualTo(3);
            assertThat(run.out()).contains("the broker is RUNNING").contains("Nothing was changed.");
        }
        assertThat(files(disk.root())).isEqualTo(before);
    }

    /** A formatted log dir after a kill -9: meta.properties and .lock, no clean-shutdown marker. */
    private Path uncleanLogDir() throws IOException {
        return UncleanLogDir.create(disk.root(), 2 * (int) MIB);
    }

    private Path config(Path logDir, Map<String, String> extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("recovery.margin.min.bytes", Long.toString(4 * MIB));
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.putAll(extra);
        Path file = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private void fillUntilUsable(long usable) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.root().resolve("other-data").toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            long toWrite = (disk.filesystem().dfAvailableBytes() - usable) / MIB;
            for (long i = 0; i < toWrite; i++) {
                f.write(block);
            }
            f.getFD().sync();
        }
    }

    private static Map<String, Long> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            Map<String, Long> out = new TreeMap<>();
            // The reserve's lock file only names its last holder: prestart takes the lock to read the
            // ballast and the usable space at one moment, which changes no data.
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith("lock") || p.getFileName()
                    .toString().equals(".lock")).forEach(p -> out.put(root.relativize(p).toString(), p.toFile().length()));
            return out;
        }
    }
}
