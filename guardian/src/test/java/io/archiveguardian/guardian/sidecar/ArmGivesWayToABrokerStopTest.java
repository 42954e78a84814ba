package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.broker.LockHolderMain;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveLocation;
import io.archiveguardian.reserve.ReservePlacement;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar arms a 32 MiB tier on the write path at 2 MiB/s (16 s) on a loop-mounted ext4 when
 * the broker (a real process holding {@code .lock} as Kafka does) is killed with SIGKILL. The disk
 * has room for the broker's start, so no release is asked for and nothing else makes the arm give
 * way: the arm itself sees the broker stop within {@code broker.state.poll.ms} and abandons the
 * tier, whose partial file is removed as after a power cut; the guard then assesses the unclean stop.
 */
class ArmGivesWayToABrokerStopTest {

    static final long MIB = 1024L * 1024L;
    static final long POLL_MS = 100;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(160 * MIB);

    @TempDir
    Path tmp;

    @Test
    void anArmInProgressAbandonsItsTierWithinAPollOfTheBrokerDying() throws Exception {
        Path logDir = logDir();
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.empty());
        Process broker = LockHolderMain.start(logDir.resolve(".lock"));
        try {
            Path config = config(logDir);
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())))) {
                await("the sidecar's own arm writes tier 1").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.exists(location.partialFile(1)) && Files.size(location.partialFile(1)) > 2 * MIB);

                long killed = System.nanoTime();
                broker.destroyForcibly().waitFor();
                await("the arm gave way and removed its partial tier").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> !Files.exists(location.partialFile(1)));
                double seconds = (System.nanoTime() - killed) / 1e9;
                System.out.printf("kill -> arm abandoned, partial tier removed: %.2f s%n", seconds);
                assertThat(seconds).as("within the poll (%d ms) and a margin; the whole arm takes 16 s", POLL_MS)
                        .isLessThan(3.0);
                assertThat(Files.exists(location.tierFile(1))).as("no tier was completed").isFalse();
                await("the abandoned arm is audited").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(Files.exists(location.auditFile()) ? Files.readString(location.auditFile()) : "")
                                .contains("arm-abandoned").contains("the broker is STOPPED_UNCLEAN"));

                await("the guard assessed the unclean stop").atMost(Duration.ofSeconds(10)).until(() -> sidecar.sidecar().status()
                        .map(s -> s.observation().brokerState().name().equals("STOPPED_UNCLEAN")).orElse(false));
                Thread.sleep(1000);
                assertThat(Files.exists(location.partialFile(1))).as("no new arm while the broker is down").isFalse();
            }
        } finally {
            broker.destroyForcibly();
        }
    }

    /**
     * The same incident with the arm made by hand ({@code guardian ballast arm}, its own process, no
     * sidecar running): the operator's arm gives way to the broker's death as the sidecar's does,
     * reports the tier not armed (exit 3) and leaves no partial tier.
     */
    @Test
    void aManualArmGivesWayToTheBrokerDyingToo() throws Exception {
        Path logDir = logDir();
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.empty());
        Process broker = LockHolderMain.start(logDir.resolve(".lock"));
        Process arm = null;
        try {
            Path config = config(logDir);
            Path out = tmp.resolve("arm.out");
            arm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m", io.archiveguardian.guardian.cli.Main.class.getName(),
                    "ballast", "arm", "--config", config.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            await("guardian ballast arm writes tier 1").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(location.partialFile(1)) && Files.size(location.partialFile(1)) > 2 * MIB);

            long killed = System.nanoTime();
            broker.destroyForcibly().waitFor();
            assertThat(arm.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the arm ended; it would take 32 s").isTrue();
            double seconds = (System.nanoTime() - killed) / 1e9;
            System.out.printf("kill -> manual arm ended, partial tier removed: %.2f s%n", seconds);
            assertThat(Files.exists(location.partialFile(1))).as("the partial tier was removed").isFalse();
            assertThat(Files.exists(location.tierFile(1))).as("no tier was completed").isFalse();
            String printed = Files.readString(out);
            assertThat(arm.exitValue()).as(printed).isEqualTo(3);
            assertThat(printed).contains("gave way").contains("the broker is STOPPED_UNCLEAN (it was RUNNING when the arm began)");
            assertThat(Files.readString(location.auditFile())).contains("arm-abandoned");
        } finally {
            broker.destroyForcibly();
            if (arm != null) {
                arm.destroyForcibly();
            }
        }
    }

    private Path logDir() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        return logDir;
    }

    private Path config(Path logDir) throws Exception {
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("reserve.size", "64M");
        p.setProperty("reserve.tiers", "2");
        p.setProperty("reserve.allocation.mode", "write");
        p.setProperty("reserve.write.rate.bytes.per.second", Long.toString(2 * MIB));
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.setProperty("scan.interval.ms", "300");
        p.setProperty("broker.state.poll.ms", Long.toString(POLL_MS));
        p.setProperty("http.listen", "127.0.0.1:0");
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".ratio", "1.0");
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        Path file = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }
}
