package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reserve on a real ext4 filesystem: fallocate path, tiers, release, re-arm, recovery. */
class ReserveOnExt4Test {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    private Path logDir;
    private Reserve reserve;

    @BeforeEach
    void createLogDir() throws Exception {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        reserve = Reserve.at(ReservePlacement.resolve(logDir, List.of(logDir)), ReserveOptions.defaults("test"));
    }

    @Test
    void armedTiersHoldRealBlocksThatDuAndDfSee() {
        long before = Disk.dfAvailable(disk.root());

        ArmResult result = reserve.arm(TierPlan.split(64 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(result.complete()).isTrue();
        assertThat(result.armedTiers()).containsExactly(1, 2);
        Path tier1 = reserve.location().tierFile(1);
        Path tier2 = reserve.location().tierFile(2);
        assertThat(Disk.duBytes(tier1)).isGreaterThanOrEqualTo(32 * MIB);
        assertThat(Disk.duBytes(tier2)).isGreaterThanOrEqualTo(32 * MIB);
        assertThat(before - Disk.dfAvailable(disk.root())).isGreaterThanOrEqualTo(64 * MIB);
        ReserveStatus status = reserve.status();
        assertThat(status.state()).isEqualTo(ReserveState.ARMED);
        assertThat(status.armedBytes()).isEqualTo(64 * MIB);
        assertThat(status.verified()).isTrue();
        assertThat(status.tiers()).extracting(Tier::method).containsOnly(AllocationMethod.FALLOCATE);
    }

    @Test
    void theDefaultLocationIsASiblingOfTheLogDirAndNothingIsCreatedInsideTheLogDir() throws Exception {
        reserve.arm(TierPlan.split(8 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(reserve.location().layout()).isEqualTo(ReserveLocation.Layout.SIBLING_DIRECTORY);
        assertThat(reserve.location().directory()).isEqualTo(disk.root().toRealPath().resolve(".guardian-reserve-kafka-logs"));
        try (Stream<Path> inLogDir = Files.list(logDir)) {
            assertThat(inLogDir).isEmpty();
        }
        try (Stream<Path> inReserve = Files.list(reserve.location().directory())) {
            assertThat(inReserve.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("tier-01.ballast", "tier-02.ballast", "manifest.json", "audit.jsonl", "lock");
        }
    }

    @Test
    void releasingEveryTierGivesBackTheSpaceDfReports() {
        long before = Disk.dfAvailable(disk.root());
        reserve.arm(TierPlan.split(96 * MIB, 3), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        assertThat(Disk.dfAvailable(disk.root())).isLessThanOrEqualTo(before - 96 * MIB);

        ReleaseResult result = reserve.release(ReleaseRequest.all(), Trigger.UNCLEAN_SHUTDOWN, "broker crashed");

        assertThat(result.releasedTiers()).containsExactly(1, 2, 3);
        assertThat(result.releasedBytes()).isEqualTo(96 * MIB);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before, within(1.0 * MIB)));
        assertThat(result.usableAfter() - result.usableBefore()).isGreaterThanOrEqualTo(95 * MIB);
        assertThat(result.status().state()).isEqualTo(ReserveState.RELEASED);
        assertThat(result.status().lastAction()).hasValueSatisfying(a -> {
            assertThat(a.action()).isEqualTo("release");
            assertThat(a.trigger()).isEqualTo(Trigger.UNCLEAN_SHUTDOWN);
            assertThat(a.reason()).isEqualTo("broker crashed");
            assertThat(a.pid()).isEqualTo(ProcessHandle.current().pid());
        });
    }

    @Test
    void tiersAreReleasedOneAtATimeSmallFirstAndReArmedOneAtATime() {
        reserve.arm(TierPlan.withFirstTier(72 * MIB, 3, 8 * MIB), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        assertThat(reserve.status().tiers()).extracting(Tier::sizeBytes).containsExactly(8 * MIB, 32 * MIB, 32 * MIB);
        long armed = Disk.dfAvailable(disk.root());

        ReleaseResult first = reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "nudge");
        assertThat(first.releasedTiers()).containsExactly(1);
        assertThat(Files.exists(reserve.location().tierFile(1))).isFalse();
        assertThat((double) Disk.dfAvailable(disk.root()) - armed).isCloseTo(8.0 * MIB, within(0.5 * MIB));

        ReleaseResult second = reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "more");
        assertThat(second.releasedTiers()).containsExactly(2);
        assertThat(second.status().state()).isEqualTo(ReserveState.PARTIAL);
        assertThat(second.status().armedBytes()).isEqualTo(32 * MIB);
        assertThat(second.status().releasedBytes()).isEqualTo(40 * MIB);

        RearmResult rearm1 = reserve.rearm(ArmPolicy.maxUsedPercentAfter(90), Trigger.SPACE_AVAILABLE, "space back");
        assertThat(rearm1.tier()).contains(1);
        assertThat(rearm1.status().tiers()).extracting(Tier::state)
                .containsExactly(TierState.ARMED, TierState.RELEASED, TierState.ARMED);
        RearmResult rearm2 = reserve.rearm(ArmPolicy.maxUsedPercentAfter(90), Trigger.SPACE_AVAILABLE, "space back");
        assertThat(rearm2.tier()).contains(2);
        assertThat(Disk.dfAvailable(disk.root())).isLessThanOrEqualTo(armed);
        RearmResult nothing = reserve.rearm(ArmPolicy.maxUsedPercentAfter(90), Trigger.SPACE_AVAILABLE, "space back");
        assertThat(nothing.tier()).isEmpty();
        assertThat(nothing.notArmed()).contains("every tier is armed");
    }

    @Test
    void reArmIsRefusedWhenItWouldPushTheDiskPastTheHighWatermark() throws Exception {
        reserve.arm(TierPlan.split(64 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "pressure");
        // the broker writes: the disk is now about 75% used; arming 32 MiB more would pass 80%
        fill(logDir.resolve("00000000000000000000.log"), 120 * MIB);
        FilesystemSpace space = FilesystemSpace.of(disk.root());
        long availBefore = Disk.dfAvailable(disk.root());

        RearmResult result = reserve.rearm(ArmPolicy.maxUsedPercentAfter(80), Trigger.SPACE_AVAILABLE, "space back");

        assertThat(space.usedPercent()).isLessThan(80);
        assertThat(result.tier()).isEmpty();
        assertThat(result.notArmed()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("tier 1 (32 MiB) was not re-armed: used would be").contains("(limit 80.0%)"));
        assertThat(Disk.dfAvailable(disk.root())).isEqualTo(availBefore);
        assertThat(result.status().tiers().get(0).state()).isEqualTo(TierState.RELEASED);
    }

    @Test
    void releaseWorksOnAFilesystemFilledToTheLastBlock() throws Exception {
        reserve.arm(TierPlan.split(64 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        fillUntilFull(logDir.resolve("00000000000000000000.log"));
        assertThat(Disk.dfAvailable(disk.root())).isLessThan(64 * 1024);

        ReleaseResult result = reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "disk full");

        assertThat(result.releasedTiers()).containsExactly(1);
        assertThat(Disk.dfAvailable(disk.root())).isGreaterThan(31 * MIB);
        assertThat(reserve.status().tiers()).extracting(Tier::state).containsExactly(TierState.RELEASED, TierState.ARMED);
        assertThat(Files.readAllLines(reserve.location().auditFile()).get(2)).contains("\"reason\":\"disk full\"");
    }

    @Test
    void aTierWhoseArmDidNotLowerFreeSpaceIsReportedAsNotVerified() throws Exception {
        // something frees as much space as the tier takes, at the moment it is armed: df does not move
        Path segment = logDir.resolve("00000000000000000000.log");
        fill(segment, 32 * MIB);
        ReserveObserver deleter = new ReserveObserver() {
            @Override
            public void tierArmed(int tier, long bytes) {
                try {
                    Files.delete(segment);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        Reserve watched = Reserve.at(reserve.location(), ReserveOptions.defaults("test").withObserver(deleter));

        watched.arm(TierPlan.split(32 * MIB, 1), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        ReserveStatus status = watched.status();
        assertThat(status.verified()).isFalse();
        assertThat(status.tiers().get(0).verified()).isFalse();
        assertThat(status.tiers().get(0).note()).startsWith("free space dropped by only ")
                .endsWith("after arming 32 MiB: the filesystem may not hold real blocks for this file (compression, "
                        + "deduplication, thin provisioning) or something freed space meanwhile");
    }

    @Test
    void armingTwiceWithTheSamePlanChangesNothing() throws Exception {
        reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        long avail = Disk.dfAvailable(disk.root());
        List<String> audit = Files.readAllLines(reserve.location().auditFile());

        ArmResult again = reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(again.armedTiers()).isEmpty();
        assertThat(again.complete()).isTrue();
        assertThat(Disk.dfAvailable(disk.root())).isEqualTo(avail);
        assertThat(Files.readAllLines(reserve.location().auditFile())).isEqualTo(audit);
    }

    @Test
    void armingWithAnotherPlanResizesTheReserve() {
        reserve.arm(TierPlan.split(48 * MIB, 3), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        ArmResult resized = reserve.arm(TierPlan.split(40 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "resize");

        assertThat(resized.status().tiers()).extracting(Tier::index, Tier::sizeBytes, Tier::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 20 * MIB, TierState.ARMED),
                        org.assertj.core.groups.Tuple.tuple(2, 20 * MIB, TierState.ARMED));
        assertThat(Files.exists(reserve.location().tierFile(3))).isFalse();
        assertThat(Disk.duBytes(reserve.location().tierFile(1))).isGreaterThanOrEqualTo(20 * MIB);
    }

    @Test
    void runningOutOfSpaceMidArmRemovesThePartialTierAndReportsWhatCouldBeReserved() {
        long before = Disk.dfAvailable(disk.root());
        long tier = 96 * MIB;
        assertThat(before).isBetween(2 * tier, 3 * tier);

        ArmResult result = reserve.arm(TierPlan.split(3 * tier, 3), ArmPolicy.unconditional(), Trigger.MANUAL, "test");

        assertThat(result.armedTiers()).containsExactly(1, 2);
        assertThat(result.armedBytes()).isEqualTo(2 * tier);
        assertThat(result.incomplete()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("out of space while arming tier 3: the filesystem refused after")
                .contains("the partial tier was removed and the reserve holds 192 MiB"));
        assertThat(Files.exists(reserve.location().partialFile(3))).isFalse();
        assertThat(Files.exists(reserve.location().tierFile(3))).isFalse();
        assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before - 2.0 * tier, within(1.0 * MIB));
        ReserveStatus status = reserve.status();
        assertThat(status.state()).isEqualTo(ReserveState.PARTIAL);
        assertThat(status.tiers().get(2).state()).isEqualTo(TierState.RELEASED);
        assertThat(status.tiers().get(2).note()).startsWith("out of space while arming tier 3");
    }

    @Test
    void aCorruptManifestIsMovedAsideAndRebuiltFromTheTierFiles() throws Exception {
        reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        Files.writeString(reserve.location().manifestFile(), "{\"version\":1,\"reserveId\":\"x\",\"tiers\":[{\"ind");

        ReserveStatus viewed = reserve.status();
        assertThat(viewed.armedBytes()).isEqualTo(32 * MIB);
        assertThat(viewed.notes()).anySatisfy(n -> assertThat(n).contains("was corrupt"));

        ReleaseResult released = reserve.release(ReleaseRequest.tiers(1), Trigger.MANUAL, "after corruption");

        assertThat(released.releasedTiers()).containsExactly(1);
        assertThat(released.status().notes()).anySatisfy(n -> assertThat(n).startsWith("the corrupt manifest was moved to"));
        try (Stream<Path> files = Files.list(reserve.location().directory())) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("manifest.json.corrupt-"));
        }
        ReserveStatus after = reserve.status();
        assertThat(after.notes()).isEmpty();
        assertThat(after.tiers()).extracting(Tier::state).containsExactly(TierState.RELEASED, TierState.ARMED);
    }

    @Test
    void aMissingManifestIsRebuiltAndTheTiersCanStillBeReleased() throws Exception {
        reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        long armed = Disk.dfAvailable(disk.root());
        Files.delete(reserve.location().manifestFile());

        ReleaseResult released = reserve.release(ReleaseRequest.all(), Trigger.MANUAL, "no manifest");

        assertThat(released.releasedTiers()).containsExactly(1, 2);
        // the deleted manifest is written anew (one 4 KiB block) while 32 MiB come back
        assertThat((double) Disk.dfAvailable(disk.root()) - armed).isCloseTo(32.0 * MIB, within(64.0 * 1024));
        assertThat(Files.exists(reserve.location().manifestFile())).isTrue();
    }

    @Test
    void armNextArmsOneNeverArmedTierPerCallAndLeavesReleasedTiersToRearm() {
        TierPlan plan = TierPlan.split(48 * MIB, 3);
        ArmPolicy policy = ArmPolicy.maxUsedPercentAfter(90);

        ArmResult first = reserve.armNext(plan, policy, Trigger.SPACE_AVAILABLE, "fresh install");
        assertThat(first.armedTiers()).containsExactly(1);
        assertThat(first.incomplete()).contains("2 more tier(s) to arm, one at a time");
        assertThat(first.status().tiers()).extracting(Tier::state)
                .containsExactly(TierState.ARMED, TierState.RELEASED, TierState.RELEASED);

        reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "pressure");
        assertThat(reserve.armNext(plan, policy, Trigger.SPACE_AVAILABLE, "t").armedTiers()).containsExactly(2);
        ArmResult third = reserve.armNext(plan, policy, Trigger.SPACE_AVAILABLE, "t");
        assertThat(third.armedTiers()).containsExactly(3);
        assertThat(third.complete()).isTrue();

        ArmResult nothing = reserve.armNext(plan, policy, Trigger.SPACE_AVAILABLE, "t");
        assertThat(nothing.armedTiers()).isEmpty();
        assertThat(nothing.status().tiers()).extracting(Tier::state)
                .containsExactly(TierState.RELEASED, TierState.ARMED, TierState.ARMED);
    }

    @Test
    void armNextRespectsTheSafetyRule() throws Exception {
        fill(disk.root().resolve("data"), 200 * MIB);

        ArmResult refused = reserve.armNext(TierPlan.split(48 * MIB, 3), ArmPolicy.maxUsedPercentAfter(90),
                Trigger.SPACE_AVAILABLE, "t");

        assertThat(refused.armedTiers()).isEmpty();
        assertThat(refused.incomplete()).hasValueSatisfying(m -> assertThat(m).startsWith("tier 1 (16 MiB) was not armed: used would be "));
        assertThat(Files.exists(reserve.location().tierFile(1))).isFalse();
    }

    @Test
    void filesTheGuardianDidNotCreateAreNeverTouched() throws Exception {
        Path dir = Files.createDirectories(reserve.location().directory());
        Path notes = Files.writeString(dir.resolve("notes.txt"), "operator notes");
        Path impostor = Files.writeString(reserve.location().tierFile(2), "not a tier");
        Path oldBallast = Files.writeString(dir.resolve("ballast.bin"), "old hand-made ballast");

        assertThatThrownBy(() -> reserve.arm(TierPlan.split(32 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "t"))
                .isInstanceOf(ForeignFileException.class)
                .hasMessage(impostor + " exists but was not created by this reserve (no matching guardian header). "
                        + "The guardian never deletes or overwrites files it did not create: move the file away, "
                        + "or configure another reserve directory.");
        assertThat(reserve.status().foreignFiles()).containsExactly(impostor);

        reserve.release(ReleaseRequest.all(), Trigger.MANUAL, "test");
        Files.delete(reserve.location().manifestFile());
        reserve.recover();

        assertThat(Files.readString(notes)).isEqualTo("operator notes");
        assertThat(Files.readString(impostor)).isEqualTo("not a tier");
        assertThat(Files.readString(oldBallast)).isEqualTo("old hand-made ballast");
        assertThat(Files.exists(reserve.location().tierFile(1))).isFalse();
    }

    @Test
    void theAuditLogRecordsEveryArmAndReleaseWithTriggerReasonAndWho() throws Exception {
        reserve.arm(TierPlan.split(16 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "initial");
        reserve.release(ReleaseRequest.tiers(1), Trigger.PRESTART, "recovery needs room");

        List<String> lines = Files.readAllLines(reserve.location().auditFile(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        var last = Json.MAPPER.readValue(lines.get(2), AuditEntry.class);
        assertThat(last.action()).isEqualTo("release");
        assertThat(last.trigger()).isEqualTo(Trigger.PRESTART);
        assertThat(last.tier()).isEqualTo(1);
        assertThat(last.bytes()).isEqualTo(8 * MIB);
        assertThat(last.reason()).isEqualTo("recovery needs room");
        assertThat(last.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(last.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(last.program()).isEqualTo("test");
    }

    static void fillUntilFull(Path file) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        new java.util.Random(2).nextBytes(chunk);
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (java.io.IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
        // the last partial chunk: fill the remaining blocks one KiB at a time
        try (var out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk, 0, 1024);
                out.flush();
            }
        } catch (java.io.IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
        io.archiveguardian.testsupport.Commands.check("sync");
    }

    static void fill(Path file, long bytes) throws Exception {
        byte[] chunk = new byte[(int) MIB];
        new java.util.Random(1).nextBytes(chunk);
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += chunk.length) {
                out.write(chunk);
            }
        }
        io.archiveguardian.testsupport.Commands.check("sync");
    }
}
