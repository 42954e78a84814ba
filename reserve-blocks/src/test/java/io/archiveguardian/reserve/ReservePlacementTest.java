package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.reserve.PlacementRefusedException.Rule;
import io.archiveguardian.reserve.ReserveLocation.Layout;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where a reserve may live, on real mounts: same filesystem, never inside a log dir. */
class ReservePlacementTest {

    @RegisterExtension
    final SmallFilesystemExtension data = SmallFilesystemExtension.ext4(64 * MIB);

    @RegisterExtension
    final SmallFilesystemExtension other = SmallFilesystemExtension.tmpfs(16 * MIB);

    @Test
    void aLogDirBelowTheMountPointGetsASiblingDirectory() throws Exception {
        Path logDir = Files.createDirectory(data.root().resolve("kafka"));

        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir));

        assertThat(location.layout()).isEqualTo(Layout.SIBLING_DIRECTORY);
        assertThat(location.directory()).isEqualTo(data.root().toRealPath().resolve(".guardian-reserve-kafka"));
        assertThat(location.tierFile(1).getFileName()).hasToString("tier-01.ballast");
    }

    @Test
    void aLogDirThatIsAMountPointGetsPlainFilesAtItsRootAndNoSubdirectory() throws Exception {
        Path logDir = data.root();
        List<Path> before = list(logDir);

        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir));
        Reserve.at(location, ReserveOptions.defaults("test"))
                .arm(TierPlan.split(8 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(location.layout()).isEqualTo(Layout.LOG_DIR_ROOT);
        assertThat(location.directory()).isEqualTo(logDir.toRealPath());
        List<Path> added = list(logDir).stream().filter(p -> !before.contains(p)).toList();
        assertThat(added).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                ".guardian-reserve-tier-01.ballast", ".guardian-reserve-tier-02.ballast",
                ".guardian-reserve-manifest.json", ".guardian-reserve-audit.jsonl", ".guardian-reserve-lock");
        assertThat(added).allMatch(Files::isRegularFile);
    }

    @Test
    void aConfiguredDirectoryInsideTheLogDirIsRefusedNamingTheRule() throws Exception {
        Path logDir = Files.createDirectory(data.root().resolve("kafka"));
        Path inside = logDir.resolve("reserve");

        assertThatThrownBy(() -> ReservePlacement.resolve(logDir, List.of(logDir), Optional.of(inside)))
                .isInstanceOfSatisfying(PlacementRefusedException.class, e -> assertThat(e.rule()).isEqualTo(Rule.INSIDE_LOG_DIR))
                .hasMessageStartingWith("reserve dir " + inside + " is inside log dir " + logDir.toRealPath()
                        + ". Kafka parses every subdirectory of a log dir as a partition and would refuse to start");
        assertThat(Files.exists(inside)).isFalse();
    }

    @Test
    void aConfiguredDirectoryInsideAnotherLogDirIsRefusedToo() throws Exception {
        Path logDirA = Files.createDirectory(data.root().resolve("kafka-a"));
        Path logDirB = Files.createDirectory(data.root().resolve("kafka-b"));

        assertThatThrownBy(() -> ReservePlacement.resolve(logDirA, List.of(logDirA, logDirB),
                Optional.of(logDirB.resolve("reserve-for-a"))))
                .isInstanceOfSatisfying(PlacementRefusedException.class, e -> assertThat(e.rule()).isEqualTo(Rule.INSIDE_LOG_DIR))
                .hasMessageContaining("is inside log dir " + logDirB.toRealPath());
    }

    @Test
    void aConfiguredDirectoryOnAnotherFilesystemIsRefusedNamingTheRule() throws Exception {
        Path logDir = Files.createDirectory(data.root().resolve("kafka"));
        Path elsewhere = other.root().resolve("reserve");

        assertThatThrownBy(() -> ReservePlacement.resolve(logDir, List.of(logDir), Optional.of(elsewhere)))
                .isInstanceOfSatisfying(PlacementRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.DIFFERENT_FILESYSTEM))
                .hasMessageStartingWith("reserve dir " + elsewhere + " is on another filesystem than log dir "
                        + logDir.toRealPath())
                .hasMessageEndingWith("Releasing it would free nothing where the broker needs space; give a directory "
                        + "on the log dir's filesystem.");
    }

    @Test
    void aConfiguredDirectoryOnTheSameFilesystemOutsideLogDirsIsAccepted() throws Exception {
        Path logDir = Files.createDirectory(data.root().resolve("kafka"));
        Path configured = data.root().resolve("ops/ballast");

        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.of(configured));

        assertThat(location.layout()).isEqualTo(Layout.CONFIGURED_DIRECTORY);
        assertThat(location.directory()).isEqualTo(data.root().toRealPath().resolve("ops/ballast"));
    }

    @Test
    void configuringTheLogDirItselfMeansPlainFilesAtItsRoot() throws Exception {
        Path logDir = Files.createDirectory(data.root().resolve("kafka"));

        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir), Optional.of(logDir));

        assertThat(location.layout()).isEqualTo(Layout.LOG_DIR_ROOT);
        assertThat(location.manifestFile().getFileName()).hasToString(".guardian-reserve-manifest.json");
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
