package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.ArmGate;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.UnderReplication;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.Trigger;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where tiers are written (no fallocate, or write mode) at the rate limit, one tier takes long. The
 * sidecar arms it off the pass thread: the pass goes on, later passes start nothing new, and a
 * release (the broker stopped) makes the arm give way at once. On a real tmpfs.
 */
class SidecarArmInBackgroundTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(128 * MIB);

    @Test
    void aSlowArmRunsBesideThePassesAndGivesWayToARelease() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "log.dirs", logDir.toString(), "reserve.size", "64M", "reserve.tiers", "2",
                "reserve.allocation.mode", "write", "reserve.write.rate.bytes.per.second", Long.toString(MIB)))),
                new GuardianMetrics(), Clock.systemUTC());
        UnderReplication.Answer none = new UnderReplication.Answer(UnderReplication.Verdict.NONE, Instant.now(),
                List.of(), 0, "no under-replicated partition");
        try {
            sidecar.runPass();
            for (int pass = 0; pass < 2; pass++) {
                sidecar.ballast().maybeArm(BrokerState.RUNNING, Map.of(), none);
            }
            long start = System.nanoTime();
            sidecar.ballast().maybeArm(BrokerState.RUNNING, Map.of(), none);
            long passMillis = (System.nanoTime() - start) / 1_000_000;

            // a 32 MiB tier at 1 MiB/s takes 32 s; the pass waited only briefly
            assertThat(passMillis).isLessThan(10_000);
            assertThat(sidecar.ballast().latest().get(0).tiers()).extracting(t -> t.state()).contains("arming");
            sidecar.ballast().maybeArm(BrokerState.RUNNING, Map.of(), none);
            assertThat(sidecar.ballast().decisions().values()).extracting(ArmGate.Decision::reason)
                    .containsExactly("an arm started by an earlier pass is still running");

            start = System.nanoTime();
            List<BallastService.Outcome<ReleaseResult>> released = sidecar.ballast().release(Optional.empty(),
                    ReleaseRequest.all(), Trigger.UNCLEAN_SHUTDOWN, "the broker stopped");
            long releaseMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(releaseMillis).as("the release did not wait for the 32 s arm").isLessThan(10_000);
            assertThat(released.get(0).result().releasedTiers()).isEmpty();
            await("the arm gave way and removed its partial tier").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var files = Files.list(Path.of(sidecar.ballast().latest().get(0).reserveDir()))) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("tier-"));
                }
            });
            sidecar.ballast().refresh();
            assertThat(sidecar.ballast().latest().get(0).armedBytes()).isZero();
        } finally {
            sidecar.close();
        }
    }
}
