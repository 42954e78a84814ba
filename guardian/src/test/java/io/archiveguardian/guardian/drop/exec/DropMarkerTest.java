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
        return new TrashBatch("b1", "2026-11-30T10:00:00Z", 1, "/data/kafka",
                List.of(new TrashEntry("archive", 4, 1000, List.of(1, 2, 3), List.of(2, 3))));
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
        DropMarker self = DropMarker.ofThisProcess(Instant.now(), 1, true, List.of(batch())).inPhase("moving");
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

    @Test
    void undoingADropThatDiedBeforeMovingPrintsThePreviousReplicasAndClearsTheMarker() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        DropTrash trash = DropTrash.forLogDir(logDir, Optional.empty(), List.of(logDir));
        DropMarker dead = new DropMarker(1, 999_999_999L, "", "2026-11-30T10:00:00Z", 1, "reassigning", false, List.of(batch()));
        dead.write(trash.root());
        StringWriter out = new StringWriter();

        int code = new TrashMaintenance(new AuditLog(temp.resolve("audit.jsonl"), java.time.Clock.systemUTC()),
                new PrintWriter(out, true)).undoUnmoved(dead, Map.of(logDir, trash));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("The interrupted drop moved no directory")
                .contains("{\"version\":1,\"partitions\":[{\"topic\":\"archive\",\"partition\":4,\"replicas\":[1,2,3]}]}");
        assertThat(trash.root().resolve(DropMarker.FILE)).doesNotExist();
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"action\":\"undo-unmoved\"");
    }
}
