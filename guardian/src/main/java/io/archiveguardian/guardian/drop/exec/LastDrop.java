package io.archiveguardian.guardian.drop.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * What the last drop operation on a log dir did ({@code <trash>/last-drop.json}, next to the
 * batches): written when {@code drop --execute} or {@code --finish} ends, in success or failure, and
 * when {@code --undo} restored a batch. {@code --undo} restores exactly the batch of that operation,
 * and refuses, naming the batches it leaves alone, when that operation moved nothing (it failed)
 * or its batch is gone; an older batch is restored only when named ({@code --undo --batch ID}).
 *
 * @param batch    the batch id of the operation; empty when it failed before it had one
 * @param outcome  {@code moved} (in the trash: undo possible), {@code purged} (deleted: no undo),
 *                 {@code failed} (moved nothing), {@code restored} (undone)
 * @param detail   for a failure, what stopped it
 */
public record LastDrop(int version, String time, String command, String batch, String outcome, String detail) {

    public static final String FILE = "last-drop.json";

    public static final String MOVED = "moved";
    public static final String PURGED = "purged";
    public static final String FAILED = "failed";
    public static final String RESTORED = "restored";

    public LastDrop {
        batch = batch == null ? "" : batch;
        detail = detail == null ? "" : detail;
    }

    static LastDrop of(String time, String command, String batch, String outcome, String detail) {
        return new LastDrop(1, time, command, batch, outcome, detail);
    }

    /** The newest record among these trashes, if any (a drop over several log dirs writes the same one to each). */
    static Optional<LastDrop> newest(Collection<DropTrash> trashes) {
        return trashes.stream().map(t -> read(t.root())).flatMap(Optional::stream)
                .max(Comparator.comparing(l -> java.time.Instant.parse(l.time())));
    }

    static Optional<LastDrop> read(Path trashRoot) {
        Path file = trashRoot.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateFiles.MAPPER.readValue(file.toFile(), LastDrop.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (what the last drop did): " + e.getMessage()
                    + ". Inspect or remove it; nothing was changed", e);
        }
    }

    /** Writes this record into every trash, atomically. */
    void writeTo(Collection<DropTrash> trashes) {
        for (DropTrash t : trashes) {
            Path tmp = t.root().resolve(FILE + ".tmp");
            try {
                Files.createDirectories(t.root());
                Files.write(tmp, StateFiles.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, t.root().resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the last drop in " + t.root() + ": " + e.getMessage(), e);
            }
        }
    }
}
