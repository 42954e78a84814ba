package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.ReserveSize;
import io.archiveguardian.reserve.ReserveState;
import io.archiveguardian.reserve.Trigger;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service the sidecar calls: one reserve per filesystem, triggers recorded. */
class BallastServiceTest {

    static final long MIB = 1024L * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @Test
    void logDirsOnOneFilesystemShareOneReserveOwnedByTheFirst() throws Exception {
        Path a = Files.createDirectory(disk.root().resolve("kafka-a"));
        Path b = Files.createDirectory(disk.root().resolve("kafka-b"));

        BallastService service = BallastService.create(List.of(a, b), BallastSettings.defaults(), "test",
                ReserveObserver.NONE);

        assertThat(service.filesystems()).hasSize(1);
        assertThat(service.filesystems().get(0).logDir()).isEqualTo(a.toRealPath());
        assertThat(service.filesystems().get(0).logDirs()).containsExactly(a.toRealPath(), b.toRealPath());
        assertThat(service.filesystems().get(0).reserve().location().directory())
                .isEqualTo(disk.root().toRealPath().resolve(".guardian-reserve-kafka-a"));
    }

    @Test
    void differentReserveDirsForLogDirsOnOneFilesystemAreAConfigurationError() throws Exception {
        Path a = Files.createDirectory(disk.root().resolve("kafka-a"));
        Path b = Files.createDirectory(disk.root().resolve("kafka-b"));
        BallastSettings settings = BallastSettings.defaults().withReserveDirs(
                List.of(Optional.of(disk.root().resolve("r1")), Optional.of(disk.root().resolve("r2"))));

        assertThatThrownBy(() -> BallastService.create(List.of(a, b), settings, "test", ReserveObserver.NONE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("log dirs " + a + " and " + b + " are on the same filesystem, which has one reserve, but "
                        + "reserve.dirs gives them different directories (" + disk.root().resolve("r1") + ", "
                        + disk.root().resolve("r2") + "). Give the same entry for both, or leave the later one empty.");
    }

    @Test
    void aSidecarReleaseRecordsItsTriggerAndTheStatusShowsIt() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka"));
        BallastService service = BallastService.create(List.of(logDir),
                BallastSettings.defaults().withSize(ReserveSize.parse("32M")), "guardian run", ReserveObserver.NONE);
        service.arm(Optional.empty(), service.settings(), Trigger.MANUAL, "initial");

        var released = service.release(Optional.of(logDir), ReleaseRequest.tiers(2), Trigger.UNCLEAN_SHUTDOWN,
                "broker stopped uncleanly; recovery needs room");

        assertThat(released).singleElement().satisfies(o -> assertThat(o.result().releasedBytes()).isEqualTo(16 * MIB));
        var view = ReserveView.of(service.filesystems().get(0), service.status().get(0).result());
        assertThat(view.state()).isEqualTo("partial");
        assertThat(view.armedBytes()).isEqualTo(16 * MIB);
        assertThat(view.releasedBytes()).isEqualTo(16 * MIB);
        assertThat(view.lastAction().trigger()).isEqualTo("unclean-shutdown");
        assertThat(view.lastAction().tiers()).containsExactly(1, 2);
        var rearmed = service.rearm(Optional.empty(), Trigger.SPACE_AVAILABLE, "space came back");
        assertThat(rearmed.get(0).result().tier()).contains(1);
        assertThat(service.status().get(0).result().state()).isEqualTo(ReserveState.PARTIAL);
    }
}
