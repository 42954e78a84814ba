package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.broker.LockHolderMain;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveLocation;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.ReservePlacement;
import io.archiveguardian.reserve.Tier;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier is being re-armed by writing it at 4 MiB/s (eight seconds for 32 MiB; {@code guardian
 * ballast rearm} in another process) when the broker process dies. The sidecar's release for its
 * recovery runs on the guard thread and the re-arm gives way to it at once: the release does not
 * wait for the re-arm to finish. (The sidecar's own re-arm is off here; it runs off the pass
 * thread and gives way the same way.)
 */
class ReleaseDuringRearmTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(256 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aSlowWriteModeRearmGivesWayToTheReleaseAfterAKill() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Path config = config(Map.of());
        CliRun arm = CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "128M", "--tiers", "4");
        assertThat(arm.exitCode()).as(arm.out() + arm.err()).isZero();
        CliRun release = CliRun.of("ballast", "release", "--logdir", logDir.toString(), "--tiers", "1", "--reason", "test",
                "--config", config.toString());
        assertThat(release.exitCode()).as(release.out() + release.err()).isZero();
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.empty());

        // The "broker": a process holding <logdir>/.lock as Kafka does; killing it is a kill -9.
        Process broker = LockHolderMain.start(logDir.resolve(".lock"));
        long usable = Files.getFileStore(logDir).getUsableSpace();
        Path slow = config(Map.of("reserve.allocation.mode", "write", "reserve.write.rate.bytes.per.second",
                Long.toString(4 * MIB), "reserve.rearm.enabled", "false", "scan.interval.ms", "300",
                "broker.state.poll.ms", "100", "http.listen", "127.0.0.1:0",
                // the next start needs 40 MiB more than is usable now: two 32 MiB tiers
                "recovery.margin.min.bytes", Long.toString(usable + 40 * MIB)));
        BallastService reserves = BallastService.create(List.of(logDir), BallastSettings.from(GuardianConfig.load(slow, Map.of())),
                "test", ReserveObserver.NONE);
        Process rearm = null;
        try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(slow, Map.of())))) {
            await("the sidecar sees the broker running").atMost(Duration.ofSeconds(30)).until(() -> sidecar.sidecar().status()
                    .map(s -> s.observation().brokerState().name().equals("RUNNING")).orElse(false));
            rearm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m", io.archiveguardian.guardian.cli.Main.class.getName(),
                    "ballast", "rearm", "--config", slow.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("rearm.out").toFile()).start();
            await("guardian ballast rearm writes tier 1").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(location.partialFile(1)) && Files.size(location.partialFile(1)) > 2 * MIB);

            Instant killed = Instant.now();
            broker.destroyForcibly().waitFor();
            await("released for the recovery").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> uncleanReleases(reserves, killed).size() >= 2);
            Instant first = uncleanReleases(reserves, killed).stream().map(t -> Instant.parse(t.releasedAt()))
                    .min(Instant::compareTo).orElseThrow();
            double seconds = Duration.between(killed, first).toMillis() / 1000.0;
            System.out.printf("kill -> release during a write-mode re-arm: %.2f s%n", seconds);
            assertThat(seconds).as("the release did not wait for the 8 s re-arm").isLessThan(3.0);
            Tier tier1 = reserves.status().get(0).result().tiers().get(0);
            assertThat(tier1.state()).isEqualTo(TierState.RELEASED);
            assertThat(Files.exists(location.partialFile(1))).as("the partial tier was removed").isFalse();
            assertThat(Files.readString(location.auditFile())).contains("gave way");
            assertThat(rearm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            broker.destroyForcibly();
            if (rearm != null) {
                rearm.destroyForcibly();
            }
        }
    }

    private static List<Tier> uncleanReleases(BallastService reserves, Instant after) {
        return reserves.status().get(0).result().tiers().stream()
                .filter(t -> t.state() == TierState.RELEASED && t.releasedAt() != null && t.lastTrigger() != null
                        && t.lastTrigger().label().equals("unclean-shutdown") && Instant.parse(t.releasedAt()).isAfter(after))
                .toList();
    }

    private Path config(Map<String, String> extra) throws Exception {
        Properties p = new Properties();
        p.setProperty("log.dirs", disk.root().resolve("kafka-logs").toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("reserve.arm.max.used.percent", "99");
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
