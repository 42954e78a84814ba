package io.archiveguardian.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real, small filesystem mounted for a test: tmpfs, or ext4 on a loop device backed by an image
 * file. Needs root. Closing unmounts it and deletes the image and mount point.
 */
public final class SmallFilesystem implements AutoCloseable {

    public enum Type { TMPFS, EXT4 }

    private final Type type;
    private final long sizeBytes;
    private final Path workDir;
    private final Path mountPoint;
    private final Path image;
    private boolean mounted;

    private SmallFilesystem(Type type, long sizeBytes, Path workDir) {
        this.type = type;
        this.sizeBytes = sizeBytes;
        this.workDir = workDir;
        this.mountPoint = workDir.resolve("mnt");
        this.image = type == Type.EXT4 ? workDir.resolve("fs.img") : null;
    }

    /** Mounts a new filesystem of the given type and size; the caller must be root. */
    public static SmallFilesystem mount(Type type, long sizeBytes) {
        try {
            Path workDir = Files.createTempDirectory("guardian-smallfs-");
            SmallFilesystem fs = new SmallFilesystem(type, sizeBytes, workDir);
            fs.doMount();
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void doMount() throws IOException {
        Files.createDirectories(mountPoint);
        if (type == Type.TMPFS) {
            Commands.check("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", mountPoint.toString());
        } else {
            Commands.check("truncate", "-s", Long.toString(sizeBytes), image.toString());
            // No reserved blocks, so df's "available" and the filesystem's free space agree exactly.
            Commands.check("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
            Commands.check("mount", "-o", "loop", image.toString(), mountPoint.toString());
        }
        mounted = true;
    }

    public Type type() {
        return type;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** The root of the mounted filesystem. */
    public Path root() {
        return mountPoint;
    }

    /**
     * Grows the ext4 to {@code newSizeBytes}, as an operator makes room on a volume while the broker
     * is down: unmounted (online resizing is refused in some sandboxes), the image grows, {@code
     * e2fsck} and {@code resize2fs} run on it, and it is mounted again at the same place. Nothing
     * may hold a file on it open.
     */
    public void grow(long newSizeBytes) {
        if (type != Type.EXT4 || newSizeBytes <= sizeBytes) {
            throw new IllegalArgumentException("only an ext4 grows, and only to more than " + sizeBytes + " bytes");
        }
        Commands.check("umount", mountPoint.toString());
        mounted = false;
        Commands.check("truncate", "-s", Long.toString(newSizeBytes), image.toString());
        Commands.check("e2fsck", "-f", "-y", image.toString());
        Commands.check("resize2fs", image.toString());
        Commands.check("mount", "-o", "loop", image.toString(), mountPoint.toString());
        mounted = true;
    }

    /** Free bytes as df reports them (1-byte blocks, "avail" column). */
    public long dfAvailableBytes() {
        String out = Commands.check("df", "-B1", "--output=avail", mountPoint.toString());
        String[] lines = out.trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim());
    }

    @Override
    public void close() {
        if (mounted) {
            Commands.Result result = Commands.run(java.util.List.of("umount", mountPoint.toString()));
            if (result.exitCode() != 0) {
                // A child process may still hold a file open; lazy-unmount so nothing leaks.
                Commands.run(java.util.List.of("umount", "-l", mountPoint.toString()));
            }
            mounted = false;
        }
        deleteRecursively(workDir);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
