package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prestart's view of a drop marker: a live holder blocks the start (exit 3), a dead one never does. */
class DropMarkerTest {

    @TempDir
    Path temp;

    private static TrashBatch batch() {
        return batch("/data/kafka", 4);
    }

    private static TrashBatch batch(String logDir, int partition) {
        return new TrashBatch("b1", "2026-11-30T10:00:00Z", 1, logDir,
                List.of(new TrashEntry("archive", partition, 1000, List.of(1, 2, 3), List.of(2, 3))));
    }

    private Optional<Integer> prestartCheck(Path logDir, StringWriter out) {
        var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(), "state.dir", temp.toString())));
        return DropInProgress.beforeStart(settings, "--config /etc/g.properties", new PrintWriter(out, true));
    }

    @Test
    void aDropWhoseProcessRunsBlocksTheStartWithExit3NamingIt() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        DropMarker.ofThisProcess(Instant.now(), 1, true, List.of(batch())).inPhase("reassigning")
                .write(DropTrash.rootOf(logDir, Optional.empty()));

        StringWriter out = new StringWriter();
        assertThat(prestartCheck(logDir, out)).contains(3);
        assertThat(out.toString()).startsWith("DO NOT START THE BROKER: a drop is running")
                .contains("pid " + ProcessHandle.current().pid()).contains("phase reassigning").contains("[archive-4]");
    }

    @Test
    void aReusedPidAfterARebootIsNotTakenForTheDropAndTheStartIsNotBlocked() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        DropMarker self = DropMarker.ofThisProcess(Instant.now(), 1, true, List.of(batch(logDir.toString(), 4))).inPhase("moving");
        DropMarker beforeReboot = new DropMarker(1, self.pid(), "2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z", 1, "moving",
                true, self.batches());
        assertThat(beforeReboot.holderAlive()).isFalse();
        beforeReboot.write(DropTrash.rootOf(logDir, Optional.empty()));

        StringWriter out = new StringWriter();
        assertThat(prestartCheck(logDir, out)).isEmpty();
        assertThat(out.toString()).contains("WARNING: a drop did not finish").contains("died in phase moving")
                .contains("with --purge").contains("guardian drop --config /etc/g.properties --logdir " + logDir + " --finish")
                .contains("guardian drop --config /etc/g.properties --logdir " + logDir + " --undo")
                .contains("directories already deleted are gone, their data is on the other replicas");
    }

    @Test
    void aDropOverTwoLogDirsKilledBetweenItsMarkerWritesIsOneDropAndItsFinishCoversBothDirs() throws Exception {
        Path a = Files.createDirectories(temp.resolve("kafka-a"));
        Path b = Files.createDirectories(temp.resolve("kafka-b"));
        List<TrashBatch> batches = List.of(batch(a.toString(), 4), batch(b.toString(), 5));
        // The drop writes its marker into each trash in turn: killed in between, the copies differ in phase.
        DropMarker inA = new DropMarker(1, 999_999_999L, "", "2026-11-30T10:00:00Z", 1, "moving", false, batches);
        DropMarker inB = new DropMarker(1, 999_999_999L, "", "2026-11-30T10:00:00Z", 1, "reassigning", false, batches);
        inA.write(DropTrash.rootOf(a, Optional.empty()));
        inB.write(DropTrash.rootOf(b, Optional.empty()));
        Path config = Files.writeString(temp.resolve("g.properties"), "log.dirs=" + a + "," + b + "\nnode.id=1\nstate.dir="
                + temp.resolve("state") + "\nbootstrap.servers=127.0.0.1:1\n");
        var settings = SettingsResolver.resolve(GuardianConfig.load(config, Map.of()));

        StringWriter out = new StringWriter();
        assertThat(DropInProgress.beforeStart(settings, "--config " + config, new PrintWriter(out, true))).isEmpty();

        assertThat(out.toString().split("WARNING: a drop did not finish", -1)).as("one drop, reported once").hasSize(2);
        assertThat(out.toString()).contains("guardian drop --config " + config + " --logdir " + a + " --logdir " + b + " --finish");

        // Finishing it from one log dir alone would leave the other half: refused, naming what to add.
        Map<Path, String> before = Map.of(DropTrash.rootOf(a, Optional.empty()).resolve(DropMarker.FILE),
                Files.readString(DropTrash.rootOf(a, Optional.empty()).resolve(DropMarker.FILE)));
        io.archiveguardian.guardian.cli.CliRun half = io.archiveguardian.guardian.cli.CliRun.of(
                "drop", "--config", config.toString(), "--logdir", a.toString(), "--finish");
        assertThat(half.exitCode()).as(half.err()).isEqualTo(2);
        assertThat(half.err()).contains("the interrupted drop (pid 999999999, started 2026-11-30T10:00:00Z) also moved "
                + "directories of " + b + ", which --logdir leaves out; --finish covers the whole drop: add --logdir " + b
                + " (or leave --logdir out). Nothing was changed.");
        before.forEach((file, text) -> assertThat(file).hasContent(text));
        assertThat(DropTrash.rootOf(b, Optional.empty()).resolve(DropMarker.FILE)).exists();
    }

    @Test
    void aMarkerOfAProcessThatIsGoneIsDeadAndAnUnreadableOneIsStillReported() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(new DropMarker(1, p.pid(), "", "", 1, "locked", false, List.of()).holderAlive()).isFalse();

        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        Path root = Files.createDirectories(DropTrash.rootOf(logDir, Optional.empty()));
        Files.writeString(root.resolve(DropMarker.FILE), "{not json");
        StringWriter out = new StringWriter();
        assertThat(prestartCheck(logDir, out)).isEmpty();
        assertThat(out.toString()).contains("WARNING: a drop did not finish").contains("unreadable");
    }

    private static org.apache.kafka.clients.admin.MockAdminClient cluster() {
        return MockCluster.withArchivePartitions(5);
    }

    /** A drop of archive-4 that died while the controller was reassigning, its marker in the trash. */
    private static DropMarker deadDropNextTo(DropTrash trash) throws Exception {
        DropMarker dead = new DropMarker(1, 999_999_999L, "", "2026-11-30T10:00:00Z", 1, "reassigning", false, List.of(batch()));
        dead.write(trash.root());
        return dead;
    }

    @Test
    void undoingADropThatDiedBeforeMovingGivesThePreviousReplicasBackAndClearsTheMarker() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        DropMarker dead = deadDropNextTo(trash);
        StringWriter out = new StringWriter();

        try (var admin = cluster()) {
            int code = new TrashMaintenance(new AuditLog(temp.resolve("audit.jsonl"), java.time.Clock.systemUTC()),
                    new PrintWriter(out, true)).undoUnmoved(admin, java.time.Duration.ofSeconds(5), dead, Map.of(logDir, trash));

            assertThat(code).isZero();
            assertThat(admin.listPartitionReassignments().reassignments().get())
                    .as("submitted: partition 4 goes back to [1, 2, 3]").containsKey(new org.apache.kafka.common.TopicPartition("archive", 4));
        }
        assertThat(out.toString()).contains("The interrupted drop moved no directory")
                .contains("Submitted to the controller: give back the previous replicas of 1 partitions [archive-4].");
        assertThat(trash.root().resolve(DropMarker.FILE)).doesNotExist();
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"action\":\"undo-unmoved\"")
                .contains("\"action\":\"reassignment-submitted\"");
    }

    @Test
    void undoWithASilentClusterChangesNothing() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        DropMarker dead = deadDropNextTo(trash);
        try (var admin = cluster()) {
            admin.timeoutNextRequest(1);
            var maintenance = new TrashMaintenance(new AuditLog(temp.resolve("audit.jsonl"), java.time.Clock.systemUTC()),
                    new PrintWriter(new StringWriter(), true));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> maintenance.undoUnmoved(admin, java.time.Duration.ofSeconds(5),
                            dead, Map.of(logDir, trash)))
                    .hasMessageStartingWith("nothing was changed: --undo gives the partitions their previous replicas back "
                            + "through the cluster before the broker starts, and could not ask the cluster");
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        }
        assertThat(trash.root().resolve(DropMarker.FILE)).as("the marker stays for the next try").exists();
    }
}
