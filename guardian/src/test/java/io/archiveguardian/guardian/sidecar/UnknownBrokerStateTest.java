package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose lock the sidecar cannot see (another PID namespace without F_GETLK, say) but
 * whose listener accepts is UNKNOWN, and UNKNOWN never releases ballast: releasing under a live
 * broker is the failure this guards against. Once the listener is gone too, the stop is unclean
 * and the release comes.
 */
class UnknownBrokerStateTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void noLockButAnAnsweringListenerReleasesNothingUntilTheListenerIsGone() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        ServerSocket listener = new ServerSocket(0);
        Path server = Files.writeString(tmp.resolve("server.properties"), "node.id=1\nlog.dirs=" + logDir + "\n"
                + "listeners=PLAINTEXT://127.0.0.1:" + listener.getLocalPort() + "\n");
        Properties p = new Properties();
        p.setProperty("broker.config", server.toString());
        p.setProperty("bootstrap.servers", "127.0.0.1:" + Ports.free());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.setProperty("scan.interval.ms", "200");
        p.setProperty("broker.state.poll.ms", "100");
        p.setProperty("http.listen", "127.0.0.1:0");
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".ratio", "1.0");
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        Path config = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "4").exitCode()).isZero();
        // The next start needs 12 MiB more than is usable: two 8 MiB tiers, if the sidecar acted.
        Map<String, Object> need = Map.of("recovery.margin.min.bytes",
                Long.toString(Files.getFileStore(logDir).getUsableSpace() + 12 * MIB));
        BallastService reserves = BallastService.create(List.of(logDir), BallastSettings.from(GuardianConfig.load(config, Map.of())),
                "test", ReserveObserver.NONE);

        try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, need)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.sidecar().status().isPresent());
            // Ten passes and some forty guard checks with the state UNKNOWN.
            long passesBefore = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - passesBefore > 2_000_000_000L);
            assertThat(sidecar.sidecar().status().orElseThrow().observation().brokerState()).isEqualTo(BrokerState.UNKNOWN);
            assertThat(sidecar.sidecar().status().orElseThrow().observation().logDirs().get(0).broker().detail())
                    .contains("accepts connections: a broker may run where its lock cannot be seen");
            assertThat(armedTiers(reserves)).as("nothing released while the broker may run").isEqualTo(4);

            listener.close();
            await("released once the stop is unclean for certain").atMost(Duration.ofSeconds(30))
                    .until(() -> armedTiers(reserves) == 2);
            await("the next pass reports the unclean stop").atMost(Duration.ofSeconds(30)).until(() ->
                    sidecar.sidecar().status().orElseThrow().observation().brokerState() == BrokerState.STOPPED_UNCLEAN);
        } finally {
            listener.close();
        }
    }

    private static long armedTiers(BallastService reserves) {
        return reserves.status().get(0).result().tiers().stream().filter(t -> t.state() == TierState.ARMED).count();
    }
}
