package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SidecarCriticalPressureTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(64 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aDiskThatReachesCriticalPressureWhileTheBrokerRunsGetsExactlyOneTierBack() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(), "state.dir", tmp.toString(),
                "reserve.arm.max.used.percent", "99", "scan.interval.ms", "60000"));
        for (String level : new String[] {"warn", "high", "critical"}) {
            config.put("pressure." + level + ".floor.bytes", "0");
            config.put("pressure." + level + ".headroom.bytes", "0");
        }
        config.put("pressure.hysteresis.bytes", "0");
        Path file = tmp.resolve("guardian.properties");
        var props = new java.util.Properties();
        props.putAll(config);
        try (var w = Files.newBufferedWriter(file)) {
            props.store(w, null);
        }
        assertThat(CliRun.of("ballast", "arm", "--config", file.toString(), "--size", "16M", "--tiers", "4").exitCode()).isZero();

        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.load(file, Map.of())), new GuardianMetrics(), Clock.systemUTC());
        try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock brokerRunning = ch.tryLock()) {
            sidecar.runPass();
            assertThat(sidecar.status().orElseThrow().watch().disks().get(0).pressure().level()).isNotEqualTo("critical");

            fill(disk.root().resolve("archive-growth"), disk.filesystem().dfAvailableBytes() - 2 * MIB);
            sidecar.runPass();
            sidecar.runPass();

            String scrape = sidecar.metrics().scrape();
            assertThat(scrape).contains("guardian_ballast_releases_total{logdir=\"" + logDir + "\",trigger=\"critical-pressure\"} 1.0");
            assertThat(SidecarTest.gauge(scrape, "guardian_ballast_bytes", "logdir=\"" + logDir + "\",state=\"armed\"")).isEqualTo(12 * MIB);
        } finally {
            sidecar.close();
        }
    }

    private static void fill(Path file, long bytes) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            for (long i = 0; i < bytes / MIB; i++) {
                f.write(block);
            }
            f.getFD().sync();
        }
    }
}
