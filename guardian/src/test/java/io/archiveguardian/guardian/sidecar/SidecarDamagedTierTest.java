package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a power cut a tier file may keep its blocks but lose its header. The running sidecar
 * removes it at its next pass, whatever the broker's state, so it never holds space forever.
 */
class SidecarDamagedTierTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @Test
    void aTierWhoseHeaderNeverReachedTheDiskIsRemovedAtTheNextPass() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        CliRun arm = CliRun.of("ballast", "arm", "--logdir", logDir.toString(), "--size", "32M", "--tiers", "2");
        assertThat(arm.exitCode()).as(arm.err()).isZero();
        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString()))),
                new GuardianMetrics(), Clock.systemUTC());
        try {
            sidecar.runPass();
            Path tier1 = Path.of(sidecar.ballast().latest().get(0).tiers().get(0).file());
            try (FileChannel ch = FileChannel.open(tier1, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[4096]), 0);
                ch.force(true);
            }
            long damaged = disk.filesystem().dfAvailableBytes();

            sidecar.runPass();

            assertThat(Files.exists(tier1)).isFalse();
            assertThat(disk.filesystem().dfAvailableBytes() - damaged).isGreaterThanOrEqualTo(15 * MIB);
            var view = sidecar.ballast().latest().get(0);
            assertThat(view.tiersArmed()).isEqualTo(1);
            assertThat(view.foreignFiles()).isNullOrEmpty();
            assertThat(view.tiers().get(0).state()).isEqualTo("released");
        } finally {
            sidecar.close();
        }
    }
}
