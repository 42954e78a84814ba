package io.archiveguardian.guardian.logdir;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * {@code statx(2)} through JNA direct mapping (glibc 2.28+, Linux 4.11+). {@code struct statx}
 * has the same layout on every architecture, unlike {@code struct stat}, so no per-arch offsets.
 * One call gives type, size, blocks and mtime; {@code java.nio} has no block count.
 */
final class StatxFileStats implements FileStats {

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_MTIME = 0x40;
    private static final int STATX_SIZE = 0x200;
    private static final int STATX_BLOCKS = 0x400;
    private static final int MASK = STATX_TYPE | STATX_MTIME | STATX_SIZE | STATX_BLOCKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int EACCES = 13;
    private static final int STRUCT_SIZE = 256;
    private static final int OFFSET_MODE = 28;
    private static final int OFFSET_SIZE = 40;
    private static final int OFFSET_BLOCKS = 48;
    private static final int OFFSET_MTIME = 112;

    private static final boolean AVAILABLE = register();

    private final Memory buffer = new Memory(STRUCT_SIZE);

    private StatxFileStats() {
    }

    static StatxFileStats tryOpen() {
        if (!AVAILABLE) {
            return null;
        }
        StatxFileStats stats = new StatxFileStats();
        try {
            stats.stat("/");
            return stats;
        } catch (IOException | LinkageError e) {
            return null;
        }
    }

    private static boolean register() {
        if (!Platform.isLinux() || Boolean.getBoolean("guardian.scan.portable")) {
            return false;
        }
        try {
            Native.register(StatxFileStats.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static native int statx(int dirfd, String pathname, int flags, int mask, Pointer buf);

    @Override
    public FileStat stat(String path) throws IOException {
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, MASK, buffer) != 0) {
            // errno read without an exception: vanished files are frequent and cheap to report
            int errno = Native.getLastError();
            return switch (errno) {
                case ENOENT, ENOTDIR -> null;
                case EACCES -> throw new AccessDeniedException(path);
                default -> throw new FileSystemException(path, null, "statx failed with errno " + errno);
            };
        }
        int mode = buffer.getShort(OFFSET_MODE) & 0xffff;
        long seconds = buffer.getLong(OFFSET_MTIME);
        long nanos = buffer.getInt(OFFSET_MTIME + 8) & 0xffffffffL;
        return new FileStat((mode & S_IFMT) == S_IFDIR, buffer.getLong(OFFSET_SIZE),
                buffer.getLong(OFFSET_BLOCKS) * 512L, seconds * 1_000_000_000L + nanos);
    }

    @Override
    public boolean allocatedKnown() {
        return true;
    }
}
