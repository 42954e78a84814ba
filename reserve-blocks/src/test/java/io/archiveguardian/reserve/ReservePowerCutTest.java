package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a power cut can leave of a tier file on a real ext4, simulated by hand: a tier file whose
 * header reads as zeros or that was truncated (its data never reached the disk), with or without
 * its manifest entry. The reserve recognises such a file as its own but damaged, removes it
 * (giving back what it held) and arms the tier again; it never holds space behind it forever.
 */
class ReservePowerCutTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    private Reserve reserve;
    private Path tier1;

    @BeforeEach
    void armTwoTiers() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        reserve = Reserve.at(ReservePlacement.resolve(logDir, List.of(logDir)), ReserveOptions.defaults("test"));
        ArmResult armed = reserve.arm(TierPlan.split(64 * MIB, 2), ArmPolicy.unconditional(), Trigger.MANUAL, "t");
        assertThat(armed.complete()).isTrue();
        tier1 = reserve.location().tierFile(1);
    }

    @Test
    void aTierWhoseHeaderReadsAsZerosIsOursButDamagedAndIsRemovedThenReArmed() throws Exception {
        zeroHeader(tier1);
        long damaged = Disk.dfAvailable(disk.root());

        ReserveStatus status = reserve.status();
        assertThat(status.foreignFiles()).isEmpty();
        assertThat(status.pendingCleanup()).containsExactly(tier1);
        assertThat(status.tiers().get(0).state()).isEqualTo(TierState.RELEASED);
        assertThat(status.tiers().get(0).note()).contains("header never reached the disk");
        assertThat(Files.exists(tier1)).as("status changes nothing").isTrue();

        ReserveStatus recovered = reserve.recover();

        assertThat(Files.exists(tier1)).isFalse();
        assertThat(recovered.pendingCleanup()).isEmpty();
        assertThat(recovered.tiers()).extracting(Tier::state).containsExactly(TierState.RELEASED, TierState.ARMED);
        assertThat(recovered.tiers().get(0).lastTrigger()).isEqualTo(Trigger.RECOVERY);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat((double) Disk.dfAvailable(disk.root()) - damaged).isCloseTo(32.0 * MIB, within(1.0 * MIB)));
        assertThat(auditActions()).contains("recover");

        RearmResult rearm = reserve.rearm(ArmPolicy.maxUsedPercentAfter(90), Trigger.SPACE_AVAILABLE, "t");

        assertThat(rearm.tier()).contains(1);
        assertThat(TierHeader.read(tier1)).hasValueSatisfying(h -> assertThat(h.tier()).isEqualTo(1));
        assertThat(reserve.status().state()).isEqualTo(ReserveState.ARMED);
    }

    @Test
    void aTruncatedTierWithoutItsManifestEntryIsRemovedAndArmedAgainByArmNext() throws Exception {
        try (FileChannel ch = FileChannel.open(tier1, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.force(true);
        }
        dropManifestEntry(1);

        ReserveStatus recovered = reserve.recover();

        assertThat(Files.exists(tier1)).isFalse();
        assertThat(recovered.foreignFiles()).isEmpty();
        assertThat(recovered.tiers()).extracting(Tier::index).containsExactly(2);

        ArmResult next = reserve.armNext(TierPlan.split(64 * MIB, 2), ArmPolicy.maxUsedPercentAfter(90), Trigger.MANUAL, "t");

        assertThat(next.armedTiers()).containsExactly(1);
        assertThat(next.complete()).isTrue();
        assertThat(next.status().tiers()).extracting(Tier::state).containsExactly(TierState.ARMED, TierState.ARMED);
        assertThat(Disk.duBytes(tier1)).isGreaterThanOrEqualTo(32 * MIB);
    }

    @Test
    void aZeroedHeaderAndAZeroedManifestStillRecoverFromTheOtherTier() throws Exception {
        String reserveId = TierHeader.read(reserve.location().tierFile(2)).orElseThrow().reserveId();
        zeroHeader(tier1);
        Path manifest = reserve.location().manifestFile();
        long length = Files.size(manifest);
        Files.write(manifest, new byte[(int) length]);

        ReleaseResult release = reserve.release(ReleaseRequest.all(), Trigger.UNCLEAN_SHUTDOWN, "power came back");

        assertThat(Files.exists(tier1)).isFalse();
        assertThat(release.releasedTiers()).containsExactly(2);
        assertThat(release.status().notes()).anyMatch(n -> n.contains("corrupt"));
        assertThat(release.usableAfter() - release.usableBefore()).isGreaterThanOrEqualTo(31 * MIB);
        Manifest rebuilt = Json.MAPPER.readValue(Files.readAllBytes(manifest), Manifest.class);
        assertThat(rebuilt.reserveId()).isEqualTo(reserveId);
    }

    @Test
    void aFileWithATiersNameThatIsNotZerosNorOursIsStillNeverTouched() throws Exception {
        reserve.release(ReleaseRequest.all(), Trigger.MANUAL, "t");
        Path impostor = Files.writeString(tier1, "operator's own file");

        ReserveStatus status = reserve.recover();

        assertThat(status.foreignFiles()).containsExactly(impostor);
        assertThat(Files.readString(impostor)).isEqualTo("operator's own file");
    }

    @Test
    void aTornHeaderThatStartsWithOurMagicIsOursButDamaged() throws Exception {
        byte[] torn = (TierHeader.MAGIC + "{\"reserveId\":\"").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tier1, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[TierHeader.SIZE]), 0);
            ch.write(ByteBuffer.wrap(torn), 0);
            ch.force(true);
        }

        ReserveStatus recovered = reserve.recover();

        assertThat(Files.exists(tier1)).isFalse();
        assertThat(recovered.foreignFiles()).isEmpty();
        assertThat(recovered.tiers().get(0).state()).isEqualTo(TierState.RELEASED);
    }

    private static void zeroHeader(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[TierHeader.SIZE]), 0);
            ch.force(true);
        }
        Commands.check("sync");
    }

    private void dropManifestEntry(int index) throws Exception {
        Path manifest = reserve.location().manifestFile();
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(manifest));
        ArrayNode tiers = (ArrayNode) tree.get("tiers");
        for (int i = tiers.size() - 1; i >= 0; i--) {
            if (tiers.get(i).get("index").asInt() == index) {
                tiers.remove(i);
            }
        }
        Files.write(manifest, Json.MAPPER.writeValueAsBytes(tree));
    }

    private List<String> auditActions() throws Exception {
        return Files.readAllLines(reserve.location().auditFile()).stream()
                .map(l -> {
                    try {
                        return Json.MAPPER.readTree(l).get("action").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }
}
