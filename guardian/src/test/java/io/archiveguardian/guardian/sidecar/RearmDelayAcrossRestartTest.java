package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.ballast.ArmGate;
import io.archiveguardian.guardian.ballast.UnderReplication;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier was released minutes ago (by the sidecar for a crash, by prestart or by an operator) and
 * the sidecar restarts, as it does with its pod: the re-arm delay still counts from that release,
 * not from the sidecar's start, even when the cluster says re-arming is safe.
 */
class RearmDelayAcrossRestartTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aRestartedSidecarStillWaitsTheRearmDelayFromTheLastRelease() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("reserve.size", "32M");
        p.setProperty("reserve.tiers", "2");
        p.setProperty("reserve.arm.max.used.percent", "99");
        p.setProperty("reserve.rearm.delay.ms", "600000");
        Path config = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString()).exitCode()).isZero();
        assertThat(CliRun.of("ballast", "release", "--config", config.toString(), "--tiers", "1", "--reason", "a crash")
                .exitCode()).isZero();

        Sidecar restarted = new Sidecar(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())), new GuardianMetrics(),
                Clock.systemUTC());
        UnderReplication.Answer none = new UnderReplication.Answer(UnderReplication.Verdict.NONE, Instant.now(), List.of(), 0,
                "no under-replicated partition");
        try {
            restarted.runPass();
            for (int pass = 0; pass < ArmGate.STEADY_PASSES + 1; pass++) {
                restarted.ballast().maybeArm(BrokerState.RUNNING, Map.of(), none);
            }
            assertThat(restarted.ballast().decisions().get(logDir.toRealPath().toString()).reason())
                    .contains("re-arm waits until");
            restarted.ballast().refresh();
            assertThat(restarted.ballast().latest().get(0).tiersArmed()).as("tier 1 stays released").isEqualTo(1);
        } finally {
            restarted.close();
        }
    }
}
