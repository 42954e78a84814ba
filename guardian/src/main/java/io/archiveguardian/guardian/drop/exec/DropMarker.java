package io.archiveguardian.guardian.drop.exec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The file a running {@code drop --execute} keeps next to each log dir it changes
 * ({@code <trash>/drop-in-progress.json}, never inside the log dir), rewritten atomically at each
 * phase and deleted at its end. {@code prestart} reads it: a live holder means "do not start", a
 * dead one a half-done drop to finish or undo.
 *
 * @param pid          the drop's process
 * @param processStart that process's start time, so a reused pid (after a reboot) is not taken for it
 * @param phase        {@code locked} (nothing submitted yet), {@code reassigning} (submitted to the
 *                     controller, no local change), {@code moving} (the controller confirmed; moving the
 *                     named directories to the trash and, with purge, deleting them)
 * @param batches      the directories the plan named, one batch per log dir, with the replica sets
 */
public record DropMarker(int version, long pid, String processStart, String startedAt, int broker, String phase,
                         boolean purge, List<TrashBatch> batches) {

    public static final String FILE = "drop-in-progress.json";

    public DropMarker {
        batches = List.copyOf(batches);
    }

    static DropMarker ofThisProcess(Instant now, int broker, boolean purge, List<TrashBatch> batches) {
        ProcessHandle self = ProcessHandle.current();
        return new DropMarker(1, self.pid(), self.info().startInstant().map(Instant::toString).orElse(""), now.toString(),
                broker, "locked", purge, batches);
    }

    DropMarker inPhase(String newPhase) {
        return new DropMarker(version, pid, processStart, startedAt, broker, newPhase, purge, batches);
    }

    /** Whether the process that wrote this marker is still running (same pid and start time). */
    public boolean holderAlive() {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        String start = p.get().info().startInstant().map(Instant::toString).orElse("");
        return processStart.isEmpty() || start.isEmpty() || start.equals(processStart);
    }

    public static Optional<DropMarker> read(Path trashRoot) {
        Path file = trashRoot.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateFiles.MAPPER.readValue(file.toFile(), DropMarker.class));
        } catch (IOException e) {
            // a marker we cannot read is still a drop that did not finish
            return Optional.of(new DropMarker(0, -1, "", "", -1, "unreadable (" + e.getMessage() + ")", true, List.of()));
        }
    }

    void write(Path trashRoot) throws IOException {
        Files.createDirectories(trashRoot);
        Path tmp = trashRoot.resolve(FILE + ".tmp");
        Files.write(tmp, StateFiles.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, trashRoot.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(trashRoot, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    static void delete(Path trashRoot) throws IOException {
        Files.deleteIfExists(trashRoot.resolve(FILE));
        try (FileChannel dir = FileChannel.open(trashRoot, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
