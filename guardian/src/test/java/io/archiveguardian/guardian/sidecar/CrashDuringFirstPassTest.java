package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.broker.LockHolderMain;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.archiveguardian.testsupport.TestEnvironment;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker dies while the sidecar's first pass, a full scan of the log dir, is still running.
 * The scan is held up for real: the log dir's recovery-point checkpoint is a named pipe that the
 * scan's read waits on until the test writes it. The guard tick sees the crash during that pass and
 * the release comes as soon as the pass has a scan to price the recovery with, not a whole scan
 * interval (here a minute) later with the second pass.
 */
class CrashDuringFirstPassTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aCrashDuringTheFirstPassIsReleasedForWhenThatPassEndsNotAtTheSecond() throws Exception {
        TestEnvironment.requireProgram("mkfifo");
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Path config = config(logDir, Map.of());
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "4").exitCode()).isZero();
        long usable = Files.getFileStore(logDir).getUsableSpace();
        // the next start needs 12 MiB more than is usable: two 8 MiB tiers
        Path slow = config(logDir, Map.of("scan.interval.ms", "60000", "broker.state.poll.ms", "100",
                "http.listen", "127.0.0.1:0", "recovery.margin.min.bytes", Long.toString(usable + 12 * MIB)));
        Path checkpoint = logDir.resolve("recovery-point-offset-checkpoint");
        Commands.check("mkfifo", checkpoint.toString());
        Path pipe = disk.root().resolve("checkpoint-pipe");
        Files.createLink(pipe, checkpoint); // the same pipe under a name the scan does not read
        BallastService reserves = BallastService.create(List.of(logDir), BallastSettings.from(GuardianConfig.load(slow, Map.of())),
                "test", ReserveObserver.NONE);

        Process broker = LockHolderMain.start(logDir.resolve(".lock"));
        try {
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(slow, Map.of())))) {
                Thread.sleep(1000); // the first pass read the broker RUNNING and waits in its scan
                assertThat(sidecar.sidecar().status()).as("the first pass has not ended").isEmpty();
                broker.destroyForcibly().waitFor();
                Thread.sleep(1000); // several guard ticks see the unclean stop during the first pass

                // The scan goes on: a regular checkpoint takes the pipe's name for later scans, and
                // the waiting read gets its content.
                Path regular = Files.writeString(disk.root().resolve("checkpoint"), "0\n0\n");
                Files.move(regular, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                long unblocked = System.nanoTime();
                try (OutputStream out = Files.newOutputStream(pipe)) {
                    out.write("0\n0\n".getBytes(StandardCharsets.UTF_8));
                }
                await("the first pass ends").atMost(Duration.ofSeconds(10)).until(() -> sidecar.sidecar().status().isPresent());
                await("released for the recovery").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .until(() -> armedTiers(reserves) == 2);
                double seconds = (System.nanoTime() - unblocked) / 1e9;
                System.out.printf("first pass unblocked -> release: %.2f s (the second pass is 60 s later)%n", seconds);
                assertThat(seconds).isLessThan(10.0);
            }
        } finally {
            broker.destroyForcibly();
        }
    }

    private static long armedTiers(BallastService reserves) {
        return reserves.status().get(0).result().tiers().stream().filter(t -> t.state() == TierState.ARMED).count();
    }

    private Path config(Path logDir, Map<String, String> extra) throws Exception {
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.setProperty("reserve.auto.arm", "false");
        p.setProperty("reserve.rearm.enabled", "false");
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".ratio", "1.0");
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        p.putAll(extra);
        Path file = Files.createTempFile(tmp, "guardian", ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }
}
