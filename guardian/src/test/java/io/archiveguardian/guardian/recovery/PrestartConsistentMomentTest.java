package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Trigger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.BlackHole;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prestart waits for a cluster that does not answer (a black-hole bootstrap) while an operator's
 * release (the sidecar's, or {@code guardian ballast release}) frees one of the two tiers. The start
 * fits with the ballast either way; prestart must read the usable space and the ballast at one
 * moment after that wait, so the released tier is counted once (as usable space) and the start is
 * not refused with exit 10.
 */
class PrestartConsistentMomentTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void aReleaseDuringTheClusterWaitDoesNotTurnAFittingStartIntoExit10() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        try (BlackHole hole = new BlackHole()) {
            Path config = config(logDir, hole.address(), 0);
            assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "2").exitCode())
                    .isZero();
            // The start needs 20 MiB more than is usable now: it fits with the 32 MiB of ballast.
            config = config(logDir, hole.address(), Files.getFileStore(logDir).getUsableSpace() + 20 * MIB);
            Path prestartConfig = config;

            CompletableFuture<CliRun> prestart = CompletableFuture.supplyAsync(() -> CliRun.of("prestart", "--config",
                    prestartConfig.toString(), "--output", "json"));
            await("prestart waits for the cluster").atMost(Duration.ofSeconds(20)).until(() -> hole.accepted() > 0);
            // The sidecar's release (or an operator's), through the same reserve and lock.
            BallastService.create(List.of(logDir), BallastSettings.from(GuardianConfig.load(config, Map.of())), "test",
                    ReserveObserver.NONE).release(Optional.empty(), ReleaseRequest.tiers(1), Trigger.MANUAL, "an operator frees room");
            assertThat(prestart.isDone()).as("the release landed while prestart waited for the cluster").isFalse();

            CliRun run = prestart.get(60, TimeUnit.SECONDS);

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            JsonNode fs = Json.MAPPER.readTree(run.out()).at("/filesystems/0");
            assertThat(fs.at("/decision/outcome").asText()).isEqualTo("RELEASE");
            assertThat(fs.at("/armed_tier_bytes").size()).as("one tier was left when prestart read the ballast").isEqualTo(1);
        }
    }

    private Path config(Path logDir, String bootstrap, long margin) throws Exception {
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("node.id", "1");
        p.setProperty("prestart.cluster.timeout.ms", "5000");
        p.setProperty("reserve.arm.max.used.percent", "99");
        if (margin > 0) {
            p.setProperty("recovery.margin.min.bytes", Long.toString(margin));
        }
        Path file = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }
}
