package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Tier;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The incident: the broker is killed while the cluster cannot be asked (a black hole that accepts
 * and never answers, an unresolvable host, a refused port). The sidecar's cluster work is stuck on
 * Admin timeouts, but the release for the broker's recovery must come at once, before a service
 * manager (RestartSec=10) or the kubelet restarts the broker.
 */
@Tag("broker")
class SilentClusterReleaseTest {

    static final long MIB = 1024L * 1024L;

    enum Bootstrap { BLACK_HOLE, UNRESOLVABLE, REFUSED }

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(192 * MIB);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Bootstrap.class)
    void theReleaseAfterAKillMinus9DoesNotWaitForASilentCluster(Bootstrap kind) throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (BlackHole hole = new BlackHole();
             ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).logDir(1, logDir).baseDir(tmp.resolve("cluster"))
                     .build().start()) {
            ChildBroker broker = cluster.broker(1);
            String bootstrap = switch (kind) {
                case BLACK_HOLE -> hole.address();
                case UNRESOLVABLE -> "no-such-broker.invalid:9092";
                case REFUSED -> "127.0.0.1:" + Ports.free();
            };
            Path config = tmp.resolve("guardian.properties");
            Properties p = new Properties();
            p.setProperty("broker.config", broker.serverProperties().toString());
            p.setProperty("bootstrap.servers", bootstrap);
            p.setProperty("state.dir", tmp.resolve("state").toString());
            p.setProperty("retention.topics", "archive"); // cluster work that hangs on the black hole
            p.setProperty("reserve.arm.max.used.percent", "99");
            for (String level : new String[] {"warn", "high", "critical"}) {
                p.setProperty("pressure." + level + ".ratio", "1.0");
                p.setProperty("pressure." + level + ".floor.bytes", "0");
                p.setProperty("pressure." + level + ".headroom.bytes", "0");
            }
            try (var w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            CliRun arm = CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "64M", "--tiers", "8");
            assertThat(arm.exitCode()).as(arm.out() + arm.err()).isZero();
            // The next start needs 12 MiB more than is usable: two 8 MiB tiers.
            long usable = Files.getFileStore(logDir).getUsableSpace();
            Map<String, Object> overrides = new HashMap<>(Map.of("http.listen", "127.0.0.1:0", "scan.interval.ms", "5000",
                    "broker.state.poll.ms", "200", "recovery.margin.min.bytes", Long.toString(usable + 12 * MIB)));
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, overrides)))) {
                await("the sidecar sees the broker running").atMost(Duration.ofSeconds(60))
                        .until(() -> sidecar.sidecar().status().map(s -> s.observation().brokerState().name()).orElse("")
                                .equals("RUNNING"));
                if (kind == Bootstrap.BLACK_HOLE) {
                    await("the cluster work is stuck in the black hole").atMost(Duration.ofSeconds(30)).until(() -> hole.accepted() > 0);
                }

                Instant killed = Instant.now();
                broker.kill();
                BallastService reserves = BallastService.create(List.of(logDir),
                        io.archiveguardian.guardian.ballast.BallastSettings.from(GuardianConfig.load(config, Map.of())),
                        "test", ReserveObserver.NONE);
                await("ballast released for the broker's recovery").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> released(reserves).size() >= 2);
                List<Tier> tiers = released(reserves);
                Instant first = tiers.stream().map(t -> Instant.parse(t.releasedAt())).min(Instant::compareTo).orElseThrow();
                double seconds = Duration.between(killed, first).toMillis() / 1000.0;
                System.out.printf("%s: kill -9 -> release %.2f s (tiers %s)%n", kind, seconds,
                        tiers.stream().map(Tier::index).toList());
                assertThat(tiers).extracting(Tier::index).containsExactly(1, 2);
                assertThat(reserves.status().get(0).result().tiers()).filteredOn(t -> t.state() == TierState.ARMED)
                        .as("the release aimed at the need: 6 of 8 tiers stay armed").hasSize(6);
                // Well before RestartSec=10 or a kubelet restart; broker.state.poll.ms is 200 ms.
                assertThat(seconds).as("seconds from kill -9 to the release").isLessThan(5.0);

                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sidecar.baseUrl() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("liveness reflects the local loop, not the cluster").isEqualTo(200);
            }
        }
    }

    private static List<Tier> released(BallastService reserves) {
        // Read without the lock: a tier whose file is gone but whose manifest entry is not yet
        // written reads as released by "recovery" for a moment; wait for the manifest.
        return reserves.status().get(0).result().tiers().stream()
                .filter(t -> t.state() == TierState.RELEASED && t.releasedAt() != null && t.lastTrigger() != null
                        && t.lastTrigger().label().equals("unclean-shutdown")).toList();
    }
}
