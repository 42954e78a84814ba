package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReserveLocation;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.ReserveSize;
import io.archiveguardian.reserve.Trigger;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * guardian_ballast_releases_total counts each release once, by the trigger of whoever made it, although
 * the sidecar reads the reserve without its lock: in the middle of another actor's release (tier
 * file deleted, manifest not yet written) the reading says "released by recovery".
 */
class BallastReleaseCountTest {

    static final long MIB = 1024L * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @Test
    void aReleaseReadHalfWayIsCountedByItsOwnTriggerAndAVanishedTierAsRecovery() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka"));
        BallastService service = BallastService.create(List.of(logDir),
                BallastSettings.defaults().withSize(ReserveSize.parse("16M")).withTiers(2), "test", ReserveObserver.NONE);
        service.arm(Optional.empty(), service.settings(), Trigger.MANUAL, "initial");
        ReserveLocation where = service.filesystems().get(0).reserve().location();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BallastDuty duty = new BallastDuty(service, registry, Clock.systemUTC(), Duration.ZERO);
        duty.refresh();

        // A CLI release of tier 1, caught between deleting the file and writing the manifest.
        byte[] armedManifest = Files.readAllBytes(where.manifestFile());
        service.release(Optional.of(logDir), ReleaseRequest.tiers(1), Trigger.MANUAL, "on call");
        byte[] releasedManifest = Files.readAllBytes(where.manifestFile());
        Files.write(where.manifestFile(), armedManifest);
        duty.refresh();
        assertThat(count(registry, "recovery")).as("a half-way reading is not counted yet").isZero();
        assertThat(count(registry, "manual")).isZero();

        Files.write(where.manifestFile(), releasedManifest);
        duty.refresh();
        assertThat(count(registry, "manual")).isEqualTo(1);
        assertThat(count(registry, "recovery")).isZero();
        duty.refresh();
        assertThat(count(registry, "manual")).as("counted once").isEqualTo(1);

        // A tier file that vanished for good (deleted by hand, lost in a crash) is a recovery release.
        Files.delete(where.tierFile(2));
        duty.refresh();
        assertThat(count(registry, "recovery")).isZero();
        duty.refresh();
        assertThat(count(registry, "recovery")).as("still gone at the next reading").isEqualTo(1);
        duty.refresh();
        assertThat(count(registry, "recovery")).isEqualTo(1);
    }

    private static double count(SimpleMeterRegistry registry, String trigger) {
        Counter c = registry.find("guardian.ballast.releases").tag("trigger", trigger).counter();
        return c == null ? 0 : c.count();
    }
}
