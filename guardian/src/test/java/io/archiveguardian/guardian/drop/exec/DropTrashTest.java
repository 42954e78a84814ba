package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.GuardianException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropTrashTest {

    @TempDir
    Path temp;
    Path logDir;
    AuditLog audit;

    @BeforeEach
    void logDirWithTwoPartitions() throws Exception {
        logDir = temp.resolve("kafka-logs");
        for (String p : List.of("archive-0", "archive-1")) {
            Files.createDirectories(logDir.resolve(p));
            Files.write(logDir.resolve(p).resolve("00000000000000000000.log"), new byte[1000]);
        }
        audit = new AuditLog(temp.resolve("audit.jsonl"), Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC));
    }

    private static TrashBatch batch(String id) {
        return new TrashBatch(id, "2026-11-22T06:00:00Z", 1, "ignored",
                List.of(new TrashEntry("archive", 0, 1000, List.of(1, 2, 3), List.of(2, 3))));
    }

    @Test
    void theDefaultTrashIsASiblingOfTheLogDirNeverInsideIt() {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));

        assertThat(trash.root()).isEqualTo(temp.resolve("kafka-logs.guardian-trash")).isDirectory();
        assertThat(trash.root().startsWith(logDir)).isFalse();
    }

    @Test
    void aConfiguredTrashInsideALogDirIsRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> DropTrash.forLogDir(logDir, Optional.of(logDir.resolve("trash")), List.of(logDir)))
                .isInstanceOf(GuardianException.class)
                .hasMessageContaining("would be inside log dir " + logDir)
                .satisfies(e -> assertThat(((GuardianException) e).exitCode()).isEqualTo(2));
        assertThat(logDir.resolve("trash")).doesNotExist();
    }

    @Test
    void aTrashOnAnotherFilesystemIsRefused() {
        Path devShm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devShm), "needs a writable /dev/shm (tmpfs)");
        org.junit.jupiter.api.Assumptions.assumeFalse(temp.startsWith(devShm));
        Path base = devShm.resolve("guardian-trash-test-" + ProcessHandle.current().pid());

        try {
            assertThatThrownBy(() -> DropTrash.forLogDir(logDir, Optional.of(base), List.of(logDir)))
                    .isInstanceOf(GuardianException.class).hasMessageContaining("is not on the filesystem of " + logDir);
            assertThat(base).as("nothing created on the other filesystem").doesNotExist();
        } finally {
            try (var walk = Files.walk(base)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // nothing was created
            }
        }
    }

    @Test
    void movingInKeepsTheDataWithAManifestAndUndoPutsItBack() throws Exception {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));

        trash.moveIn(batch("b1"), audit);

        assertThat(logDir.resolve("archive-0")).doesNotExist();
        assertThat(logDir.resolve("archive-1")).isDirectory();
        assertThat(trash.root().resolve("b1/archive-0/00000000000000000000.log")).hasSize(1000);
        assertThat(trash.batches()).containsExactly(batch("b1"));

        trash.restore(trash.batches().get(0), audit);

        assertThat(logDir.resolve("archive-0/00000000000000000000.log")).hasSize(1000);
        assertThat(trash.batches()).isEmpty();
        assertThat(Files.readAllLines(temp.resolve("audit.jsonl")))
                .containsExactly(
                        "{\"time\":\"2026-11-22T06:00:00Z\",\"action\":\"moved-to-trash\",\"broker\":1,\"log_dir\":\"" + logDir
                                + "\",\"topic\":\"archive\",\"partition\":0,\"bytes\":1000,\"from\":\"" + logDir.resolve("archive-0")
                                + "\",\"to\":\"" + trash.root().resolve("b1/archive-0") + "\"}",
                        "{\"time\":\"2026-11-22T06:00:00Z\",\"action\":\"restored-from-trash\",\"broker\":1,\"log_dir\":\"" + logDir
                                + "\",\"topic\":\"archive\",\"partition\":0,\"bytes\":1000,\"from\":\"" + trash.root().resolve("b1/archive-0")
                                + "\",\"to\":\"" + logDir.resolve("archive-0") + "\"}");
    }

    @Test
    void undoRefusesAndRestoresNothingWhenTheBrokerReCreatedTheDirectory() throws Exception {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        trash.moveIn(batch("b1"), audit);
        Files.createDirectories(logDir.resolve("archive-0"));

        assertThatThrownBy(() -> trash.restore(trash.batches().get(0), audit))
                .isInstanceOf(GuardianException.class)
                .hasMessageContaining("cannot restore archive-0: " + logDir.resolve("archive-0") + " exists already");
        assertThat(trash.root().resolve("b1/archive-0/00000000000000000000.log")).hasSize(1000);
    }

    @Test
    void purgeDeletesTheBatchAndAuditsEachPartition() throws Exception {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        trash.moveIn(batch("b1"), audit);

        long deleted = trash.purge(trash.batches().get(0), audit);

        assertThat(deleted).isEqualTo(1000);
        assertThat(trash.root().resolve("b1")).doesNotExist();
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"action\":\"purged\"")
                .contains("\"path\":\"" + trash.root().resolve("b1/archive-0") + "\"").contains("\"bytes\":1000");
    }

    private static org.apache.kafka.clients.admin.MockAdminClient cluster() {
        return MockCluster.withArchivePartitions(2);
    }

    @Test
    void undoReAddsTheBrokerThroughTheClusterFirstAndRestoresNothingWhenTheClusterIsSilent() throws Exception {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        trash.moveIn(batch("b1"), audit);
        io.archiveguardian.guardian.drop.LocalTarget target = new io.archiveguardian.guardian.drop.LocalTarget(1, List.of(logDir));
        java.io.StringWriter out = new java.io.StringWriter();
        TrashMaintenance maintenance = new TrashMaintenance(audit, new java.io.PrintWriter(out, true));
        var plan = TrashMaintenance.undoPlan(target, java.util.Map.of(logDir, trash), Optional.empty(), Optional.empty());

        try (var silent = cluster()) {
            silent.timeoutNextRequest(1);
            assertThatThrownBy(() -> maintenance.undo(silent, java.time.Duration.ofSeconds(5), target, plan))
                    .hasMessageStartingWith("nothing was restored: --undo re-adds broker 1 to the partitions through the "
                            + "cluster before the broker starts, and could not ask the cluster");
            assertThat(silent.listPartitionReassignments().reassignments().get()).isEmpty();
        }
        assertThat(logDir.resolve("archive-0")).as("still in the trash: --undo can run again").doesNotExist();
        assertThat(trash.batches()).containsExactly(batch("b1"));

        try (var answering = cluster()) {
            assertThat(maintenance.undo(answering, java.time.Duration.ofSeconds(5), target, plan)).isZero();
            assertThat(answering.listPartitionReassignments().reassignments().get())
                    .containsOnlyKeys(new org.apache.kafka.common.TopicPartition("archive", 0));
        }
        assertThat(logDir.resolve("archive-0/00000000000000000000.log")).hasSize(1000);
        assertThat(out.toString().indexOf("Submitted to the controller: re-add broker 1 to 1 partitions [archive-0]."))
                .as("submitted before the directories moved back").isBetween(0, out.toString().indexOf("Restored 1 partition directories"));
        assertThatThrownBy(() -> TrashMaintenance.undoPlan(target, java.util.Map.of(logDir, trash), Optional.empty(), Optional.empty()))
                .hasMessageStartingWith("the trash holds nothing to restore");
    }

    @Test
    void theReaddReassignmentKeepsTheNewCopyAndAddsTheBrokerBack() {
        assertThat(TrashMaintenance.readd(1, List.of(batch("b1"))).get(new org.apache.kafka.common.TopicPartition("archive", 0))
                .orElseThrow().targetReplicas()).containsExactly(2, 3, 1);
    }

    @Test
    void undoRestoresExactlyTheBatchOfTheInterruptedOrLastDropNeverANewerOrOlderOne() {
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        trash.moveIn(batch("20261101-000000-000-broker-1"), audit);
        TrashBatch newer = new TrashBatch("20261102-000000-000-broker-1", "2026-11-02T00:00:00Z", 1, logDir.toString(),
                List.of(new TrashEntry("archive", 1, 1000, List.of(1, 2, 3), List.of(2, 3))));
        trash.moveIn(newer, audit);
        io.archiveguardian.guardian.drop.LocalTarget target = new io.archiveguardian.guardian.drop.LocalTarget(1, List.of(logDir));
        java.util.Map<Path, DropTrash> trashes = java.util.Map.of(logDir, trash);
        DropMarker dead = new DropMarker(1, -1, "", "2026-11-01T00:00:00Z", 1, "moving", false,
                List.of(batch("20261101-000000-000-broker-1")));

        assertThat(TrashMaintenance.undoPlan(target, trashes, Optional.of(dead), Optional.empty()).values())
                .as("the interrupted drop's batch, not the newest").extracting(TrashBatch::id)
                .containsExactly("20261101-000000-000-broker-1");

        LastDrop.of("2026-11-03T00:00:00Z", "execute", "", LastDrop.FAILED, "the cluster changed since the plan")
                .writeTo(List.of(trash));
        assertThatThrownBy(() -> TrashMaintenance.undoPlan(target, trashes, Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("failed and moved nothing into the trash: the cluster changed since the plan.")
                .hasMessageContaining("20261102-000000-000-broker-1 (" + logDir + ": archive-1); 20261101-000000-000-broker-1")
                .hasMessageContaining("--undo --batch 20261102-000000-000-broker-1");
        assertThat(TrashMaintenance.undoPlan(target, trashes, Optional.empty(), Optional.of("20261101-000000-000-broker-1"))
                .values()).extracting(TrashBatch::id).containsExactly("20261101-000000-000-broker-1");

        LastDrop.of("2026-11-04T00:00:00Z", "execute", "20261101-000000-000-broker-1", LastDrop.MOVED, "").writeTo(List.of(trash));
        assertThat(TrashMaintenance.undoPlan(target, trashes, Optional.empty(), Optional.empty()).values())
                .as("the last drop's own batch, though a newer one is there").extracting(TrashBatch::id)
                .containsExactly("20261101-000000-000-broker-1");
    }
}
