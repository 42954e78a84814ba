package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.SettingsResolver;
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
        // compared after symbolic links are resolved: a drop.trash.dir that is a link into a log dir is inside it
        Path realRoot = SettingsResolver.realAsFarAsItExists(root);
        for (Path any : allLogDirs) {
            Path logDirPath = any.toAbsolutePath().normalize();
            if (root.startsWith(logDirPath) || realRoot.startsWith(SettingsResolver.realAsFarAsItExists(logDirPath))) {
                throw new GuardianException(ExitCodes.USAGE, "the drop trash " + root
                        + (realRoot.equals(root) ? "" : " (a symbolic link to " + realRoot + ")") + " would be inside log dir "
                        + any + ", where the broker would take it for a partition; set drop.trash.dir outside every log dir. "
                        + "Nothing was changed.");
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
                audit.record("moved-to-trash", Json.MAPPER.createObjectNode()
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
                    batches.add(checked(dir, StateFiles.MAPPER.readValue(manifest.toFile(), TrashBatch.class)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the drop trash " + root + ": " + e.getMessage(), e);
        }
        return batches;
    }

    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * A manifest the trash may act on: its id is its directory's name, every entry names a legal
     * partition directory (a topic of Kafka's characters, not . or .., a partition number), and every directory in the batch is one of its entries. Anything else
     * (an edited or foreign manifest) is refused, naming what does not match: undo, purge and
     * finish would otherwise move or delete what the manifest does not describe.
     */
    private TrashBatch checked(Path dir, TrashBatch batch) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        String refuse = "the drop trash manifest " + manifest + " does not match its directory: ";
        String fix = ". The guardian refuses to act on it; nothing was changed. Inspect the batch by hand "
                + "(docs/drop.md, 'The trash').";
        if (!dir.getFileName().toString().equals(batch.id())) {
            throw new GuardianException(ExitCodes.USAGE, refuse + "its id '" + batch.id() + "' is not the directory's name '"
                    + dir.getFileName() + "'" + fix);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (TrashEntry e : batch.entries()) {
            if (e.topic() == null || !TOPIC.matcher(e.topic()).matches() || ".".equals(e.topic()) || "..".equals(e.topic())
                    || e.partition() < 0) {
                throw new GuardianException(ExitCodes.USAGE, refuse + "'" + e.topic() + "' partition " + e.partition()
                        + " is not a partition directory name (topic of a-z A-Z 0-9 . _ -, partition >= 0)" + fix);
            }
            names.add(e.directoryName());
        }
        try (Stream<Path> inside = Files.list(dir)) {
            for (Path p : inside.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !names.contains(name)) {
                    throw new GuardianException(ExitCodes.USAGE, refuse + "the directory " + name
                            + " is in the batch but not in the manifest (entries " + names.stream().sorted().toList() + ")" + fix);
                }
            }
        }
        return batch;
    }

    /** Moves a batch's directories back into the log dir; refuses (changing nothing) when any exists there. */
    public void restore(TrashBatch batch, AuditLog audit) {
        checkRestorable(batch);
        Path batchDir = root.resolve(batch.id());
        try {
            for (TrashEntry e : batch.entries()) {
                Path from = batchDir.resolve(e.directoryName());
                Path to = logDir.resolve(e.directoryName());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                audit.record("restored-from-trash", Json.MAPPER.createObjectNode()
                        .put("broker", batch.broker()).put("log_dir", logDir.toString()).put("topic", e.topic())
                        .put("partition", e.partition()).put("bytes", e.bytes()).put("from", from.toString()).put("to", to.toString()));
            }
            fsync(logDir);
            deleteRecursively(batchDir);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "restoring from " + batchDir + " failed: " + e.getMessage(), e);
        }
    }

    /** Refuses (exit 3, nothing changed) a batch whose directories are gone or exist in the log dir again. */
    public void checkRestorable(TrashBatch batch) {
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
                audit.record("purged", Json.MAPPER.createObjectNode()
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
        Files.write(tmp, StateFiles.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(batch));
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
