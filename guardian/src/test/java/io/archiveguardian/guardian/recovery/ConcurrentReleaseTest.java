package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prestart and the sidecar acting on the same unclean stop at the same moment: each asks for "at
 * least the need usable", judged under the reserve lock, so together they release no more than
 * one of them would. The bound: released &lt; need − usable before + one tier (the granularity).
 */
class ConcurrentReleaseTest {

    static final long MIB = 1024 * 1024;
    static final long TIER = 8 * MIB;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void prestartAndTheSidecarReleasingAtOnceReleaseTheNeedOnce() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        Path config = tmp.resolve("guardian.properties");
        Properties p = new Properties();
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("recovery.margin.min.bytes", Long.toString(20 * MIB)); // the need: about 2.5 tiers above usable
        p.setProperty("reserve.arm.max.used.percent", "100");
        for (String level : new String[] {"warn", "high", "critical"}) { // no critical-pressure release in this test
            p.setProperty("pressure." + level + ".ratio", "1.0");
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, null);
        }
        assertThat(CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "64M", "--tiers", "8").exitCode()).isZero();
        try (RandomAccessFile f = new RandomAccessFile(disk.root().resolve("other-data").toFile(), "rw")) {
            f.write(new byte[(int) (disk.filesystem().dfAvailableBytes() - 2 * MIB)]);
        }

        io.archiveguardian.reserve.ReserveLocation location = io.archiveguardian.reserve.ReservePlacement.resolve(
                logDir, java.util.List.of(logDir), java.util.Optional.empty());
        for (int round = 1; round <= 3; round++) {
            CliRun rearm = CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "64M", "--tiers", "8");
            assertThat(rearm.exitCode()).as(rearm.out() + rearm.err()).isZero();
            long usableBefore = Files.getFileStore(logDir).getUsableSpace();
            Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())),
                    new GuardianMetrics(), Clock.systemUTC());
            // A stuck process holds the reserve lock while both act: the sidecar decides on the usable
            // space before the lock, prestart reads it under the lock (one moment), so whichever of the
            // two gets the lock second finds the room there; then the lock is free and they race for it.
            Process holder = PrestartIncidentTest.holdLock(location.lockFile());
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<CliRun> prestart = CompletableFuture.supplyAsync(() -> {
                await(together);
                return CliRun.of("prestart", "--config", config.toString(), "--output", "json");
            });
            CompletableFuture<GuardReport> side = CompletableFuture.supplyAsync(() -> {
                await(together);
                sidecar.runPass();
                return sidecar.status().orElseThrow().recovery();
            });
            org.awaitility.Awaitility.await("a release waits for the reserve lock").atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> Files.exists(location.releaseRequestFile()));
            Thread.sleep(2000); // slack for the second actor to reach the lock too; the outcomes below prove it did
            holder.destroyForcibly().waitFor();
            CliRun pre = prestart.get(60, TimeUnit.SECONDS);
            GuardReport sidecarReport = side.get(60, TimeUnit.SECONDS);
            sidecar.close();
            assertThat(pre.exitCode()).as(pre.out() + pre.err()).isZero();
            JsonNode preJson = Json.MAPPER.readTree(pre.out());

            assertThat(preJson.at("/filesystems/0/decision/outcome").asText())
                    .as("prestart decided on what it read under the lock: released, or found the sidecar's release")
                    .isIn("RELEASE", "ENOUGH");
            assertThat(sidecarReport.filesystems().get(0).decision().outcome()).as("the sidecar decided")
                    .isEqualTo(PrestartDecision.Outcome.RELEASE);
            long byPrestart = preJson.at("/released/0/bytes").asLong(0);
            long bySidecar = sidecarReport.released().stream().mapToLong(GuardReport.Release::bytes).sum();
            long need = Math.max(preJson.at("/filesystems/0/need/total_bytes").asLong(),
                    sidecarReport.filesystems().get(0).need().totalBytes());
            long usableAfter = Files.getFileStore(logDir).getUsableSpace();
            System.out.printf("round %d: need %.1f MiB, usable before %.1f MiB; released by prestart %d MiB, by the sidecar "
                            + "%d MiB; usable after %.1f MiB%n", round, need / (double) MIB, usableBefore / (double) MIB,
                    byPrestart / MIB, bySidecar / MIB, usableAfter / (double) MIB);
            assertThat(usableAfter).as("the need is usable").isGreaterThanOrEqualTo(need);
            assertThat(byPrestart + bySidecar).as("released together, against need - usable + one tier")
                    .isLessThan(need - usableBefore + TIER);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
