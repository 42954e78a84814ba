package io.archiveguardian.guardian.replicas;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The guardian's trash for one log dir: a directory on the same filesystem, never inside a log dir
 * (the broker parses every subdirectory of a log dir as a partition). Partition directories move in
 * and out with atomic renames, so data is never copied and never half-moved. Each drop is a batch
 * with a {@code manifest.json} written (atomically) before anything moves.
 */
public final class DropTrash {

    static final String MANIFEST = "manifest.json";

    private final Path logDir;
    private final Path root;

    private DropTrash(Path logDir, Path root) {
        this.logDir = logDir;
        this.root = root;
    }

    /**
     * The trash of {@code logDir}: {@code <base>/<log dir path with / as _>} when a base is
     * configured ({@code drop.trash.dir}), else the sibling {@code <log dir>.guardian-trash}.
     *
     * @throws GuardianException (exit 2) when it would be inside a log dir or on another filesystem
     */
    public static DropTrash forLogDir(Path logDir, Optional<Path> base, List<Path> allLogDirs) {
        Path dir = logDir.toAbsolutePath().normalize();
        Path root = rootOf(dir, base);
        for (Path any : allLogDirs) {
            if (root.startsWith(any.toAbsolutePath().normalize())) {
                throw new GuardianException(ExitCodes.USAGE, "the drop trash " + root + " would be inside log dir " + any
                        + ", where the broker would take it for a partition; set drop.trash.dir outside every log dir");
            }
        }
        try {
            Path existing = root;
            while (!Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (!Files.getFileStore(existing).equals(Files.getFileStore(dir))) {
                throw new GuardianException(ExitCodes.USAGE, "the drop trash " + root + " is not on the filesystem of "
                        + dir + "; moving there would copy the data. Set drop.trash.dir to a directory on that filesystem, outside the log dir");
            }
            Files.createDirectories(root);
            if (!Files.getFileStore(root).equals(Files.getFileStore(dir))) {
                throw new GuardianException(ExitCodes.USAGE, "the drop trash " + root + " is not on the filesystem of " + dir
                        + " (a mount point on the way); set drop.trash.dir to a directory on that filesystem, outside the log dir");
            }
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot create the drop trash " + root + ": " + e.getMessage(), e);
        }
        return new DropTrash(dir, root);
    }

    /** Where the trash of {@code logDir} is, without creating or checking anything. */
    public static Path rootOf(Path logDir, Optional<Path> base) {
        Path dir = logDir.toAbsolutePath().normalize();
        return base.map(b -> b.toAbsolutePath().normalize().resolve(dir.toString().replaceAll("^/+", "").replace('/', '_')))
                .orElseGet(() -> dir.resolveSibling(dir.getFileName() + ".guardian-trash"));
    }

    public Path root() {
        return root;
    }

    public Path logDir() {
        return logDir;
    }

    /** Writes the batch's manifest, then moves each partition directory into the batch. */
    public void moveIn(TrashBatch batch, AuditLog audit) {
        Path batchDir = root.resolve(batch.id());
        try {
            Files.createDirectories(batchDir);
            writeManifest(batchDir, batch);
            for (TrashEntry e : batch.entries()) {
                Path from = logDir.resolve(e.directoryName());
                Path to = batchDir.resolve(e.directoryName());
                if (!Files.exists(from)) {
                    continue; // moved (or moved and purged) already by a drop that died after it: drop --finish
                }
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                audit.record("moved-to-trash", DropJson.mapper().createObjectNode()
                        .put("broker", batch.broker()).put("log_dir", logDir.toString()).put("topic", e.topic())
                        .put("partition", e.partition()).put("bytes", e.bytes()).put("from", from.toString()).put("to", to.toString()));
            }
            fsync(logDir);
            fsync(batchDir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot rename into the trash without copying: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "moving partition directories to the trash " + batchDir
                    + " failed: " + e.getMessage() + ". Directories already moved are listed in " + audit.file(), e);
        }
    }

    /** The batches in the trash, oldest first. */
    public List<TrashBatch> batches() {
        List<TrashBatch> batches = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path manifest = dir.resolve(MANIFEST);
                if (Files.isRegularFile(manifest)) {
                    batches.add(DropJson.files().readValue(manifest.toFile(), TrashBatch.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the drop trash " + root + ": " + e.getMessage(), e);
        }
        return batches;
    }

    /** Moves a batch's directories back into the log dir; refuses (changing nothing) when any exists there. */
    public void restore(TrashBatch batch, AuditLog audit) {
        Path batchDir = root.resolve(batch.id());
        for (TrashEntry e : batch.entries()) {
            if (Files.exists(logDir.resolve(e.directoryName()))) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "cannot restore " + e.directoryName() + ": "
                        + logDir.resolve(e.directoryName()) + " exists already (the broker re-created it?). Nothing was restored.");
            }
            if (!Files.isDirectory(batchDir.resolve(e.directoryName()))) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "cannot restore " + e.directoryName() + ": it is not in "
                        + batchDir + " any more. Nothing was restored.");
            }
        }
        try {
            for (TrashEntry e : batch.entries()) {
                Path from = batchDir.resolve(e.directoryName());
                Path to = logDir.resolve(e.directoryName());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                audit.record("restored-from-trash", DropJson.mapper().createObjectNode()
                        .put("broker", batch.broker()).put("log_dir", logDir.toString()).put("topic", e.topic())
                        .put("partition", e.partition()).put("bytes", e.bytes()).put("from", from.toString()).put("to", to.toString()));
            }
            fsync(logDir);
            deleteRecursively(batchDir);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "restoring from " + batchDir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a batch for good: only the directories its manifest names, each one audited with its
     * path and the bytes it held (files' sizes, measured just before the delete), then the batch.
     *
     * @return the bytes deleted
     */
    public long purge(TrashBatch batch, AuditLog audit) {
        Path batchDir = root.resolve(batch.id());
        long total = 0;
        try {
            for (TrashEntry e : batch.entries()) {
                Path dir = batchDir.resolve(e.directoryName());
                if (!Files.exists(dir)) {
                    continue;
                }
                long bytes = sizeOf(dir);
                deleteRecursively(dir);
                total += bytes;
                audit.record("purged", DropJson.mapper().createObjectNode()
                        .put("broker", batch.broker()).put("log_dir", logDir.toString()).put("topic", e.topic())
                        .put("partition", e.partition()).put("path", dir.toString()).put("bytes", bytes).put("batch", batch.id()));
            }
            fsync(batchDir);
            deleteRecursively(batchDir);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "deleting " + batchDir + " failed: " + e.getMessage()
                    + ". What was deleted is listed in " + audit.file(), e);
        }
        return total;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            long sum = 0;
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    sum += Files.size(p);
                }
            }
            return sum;
        }
    }

    private static void writeManifest(Path batchDir, TrashBatch batch) throws IOException {
        Path tmp = batchDir.resolve(MANIFEST + ".tmp");
        Files.write(tmp, DropJson.files().writerWithDefaultPrettyPrinter().writeValueAsBytes(batch));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, batchDir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        fsync(batchDir);
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
