package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A child JVM killed with SIGKILL in the middle of an operation; the next run finds a consistent reserve. */
class ReserveCrashTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    private Path logDir;
    private Reserve reserve;

    @BeforeEach
    void createLogDir() throws Exception {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        reserve = Reserve.at(ReservePlacement.resolve(logDir, List.of(logDir)), ReserveOptions.defaults("test"));
    }

    @Test
    void aProcessKilledMidArmLeavesAPartialTierThatTheNextRunCleansUpAndCompletes() throws Exception {
        long before = Disk.dfAvailable(disk.root());
        try (Child child = Child.start("arm", logDir.toString(), Long.toString(32 * MIB), "2", "WRITE",
                Long.toString(4 * MIB))) {
            child.awaitLine(l -> l.startsWith("PROGRESS 1 ") && Long.parseLong(l.split(" ")[2]) >= 4 * MIB,
                    Duration.ofSeconds(30));
            child.kill();
        }
        Path partial = reserve.location().partialFile(1);
        assertThat(partial).exists();
        assertThat(Disk.duBytes(partial)).isGreaterThanOrEqualTo(4 * MIB);
        ReserveStatus seen = reserve.status();
        assertThat(seen.tiers()).extracting(Tier::state).containsExactly(TierState.ARMING);
        assertThat(seen.state()).isEqualTo(ReserveState.PARTIAL);
        assertThat(seen.pendingCleanup()).containsExactly(partial);

        ArmResult next = reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "again");

        assertThat(partial).doesNotExist();
        assertThat(next.armedTiers()).containsExactly(1, 2);
        assertThat(next.status().state()).isEqualTo(ReserveState.ARMED);
        assertThat(next.status().armedBytes()).isEqualTo(32 * MIB);
        assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before - 32.0 * MIB, within(0.5 * MIB));
        assertThat(Files.readAllLines(reserve.location().auditFile()))
                .anySatisfy(l -> assertThat(l).contains("\"action\":\"recover\"")
                        .contains("left by an interrupted arm of tier 1"));
    }

    @Test
    void aProcessKilledMidReleaseLeavesAReserveTheNextRunReadsConsistently() throws Exception {
        reserve.arm(TierPlan.split(48 * MIB, 3), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        long armed = Disk.dfAvailable(disk.root());
        try (Child child = Child.start("release", logDir.toString(), "1")) {
            child.awaitLine("RELEASED 1"::equals, Duration.ofSeconds(30));
            child.kill();
        }
        // the child died after deleting tier 1 and before recording it
        assertThat(reserve.location().tierFile(1)).doesNotExist();
        assertThat(Files.readString(reserve.location().manifestFile())).doesNotContain("RELEASED");

        ReserveStatus seen = reserve.status();
        assertThat(seen.tiers()).extracting(Tier::state)
                .containsExactly(TierState.RELEASED, TierState.ARMED, TierState.ARMED);
        assertThat(seen.armedBytes()).isEqualTo(32 * MIB);
        assertThat((double) Disk.dfAvailable(disk.root()) - armed).isCloseTo(16.0 * MIB, within(0.5 * MIB));

        ReleaseResult next = reserve.release(ReleaseRequest.tiers(1), Trigger.MANUAL, "continue");

        assertThat(next.releasedTiers()).containsExactly(2);
        assertThat(next.status().tiers()).extracting(Tier::state)
                .containsExactly(TierState.RELEASED, TierState.RELEASED, TierState.ARMED);
        assertThat(Files.readString(reserve.location().manifestFile())).contains("its file was gone");
    }

    @Test
    void anEmptyPartialFileFromAProcessKilledBeforeItWroteTheHeaderIsCleanedUp() throws Exception {
        reserve.arm(TierPlan.split(16 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        reserve.release(ReleaseRequest.tiers(1), Trigger.MANUAL, "test");
        Files.createFile(reserve.location().partialFile(1));

        assertThat(reserve.status().tiers().get(0).state()).isEqualTo(TierState.RELEASED);
        RearmResult rearmed = reserve.rearm(ArmPolicy.unconditional(), Trigger.SPACE_AVAILABLE, "test");

        assertThat(rearmed.tier()).contains(1);
        assertThat(reserve.location().partialFile(1)).doesNotExist();
        assertThat(Disk.duBytes(reserve.location().tierFile(1))).isGreaterThanOrEqualTo(8 * MIB);
    }

    @Test
    void aTierFileShorterThanItsHeaderSaysIsNotCountedAsArmed() throws Exception {
        reserve.arm(TierPlan.split(16 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        try (var ch = java.nio.channels.FileChannel.open(reserve.location().tierFile(2),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(MIB); // what a power loss after the rename, before the journal commit, could leave
        }

        assertThat(reserve.status().tiers()).extracting(Tier::state).containsExactly(TierState.ARMED, TierState.RELEASED);
        ReserveStatus repaired = reserve.recover();

        assertThat(reserve.location().tierFile(2)).doesNotExist();
        assertThat(repaired.armedBytes()).isEqualTo(8 * MIB);
        assertThat(repaired.tiers().get(1).note()).isEqualTo("its file was gone: released by an interrupted release "
                + "or outside the guardian");
    }
}
