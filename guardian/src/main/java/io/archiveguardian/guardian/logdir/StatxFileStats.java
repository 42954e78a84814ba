package io.archiveguardian.guardian.logdir;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    private static final int DENTS_SIZE = 64 * 1024;
    /** struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
    private static final int DIRENT_NAME = 19;

    private final Memory buffer = new Memory(STRUCT_SIZE);
    /** A view of the native struct: reading it is a plain memory load, not a JNI call. */
    private final ByteBuffer statView = buffer.getByteBuffer(0, STRUCT_SIZE).order(ByteOrder.nativeOrder());
    /** Listing buffers by nesting depth: a visitor may list a subdirectory while its parent is being listed. */
    private final Memory[] dentsByDepth = new Memory[4];
    private final byte[][] namesByDepth = new byte[4][];
    private final int[] fdByDepth = new int[4];
    private final String[] dirByDepth = new String[4];
    private int depth;

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

    private static native int statx(int dirfd, Pointer pathname, int flags, int mask, Pointer buf);

    private static native int statx(int dirfd, byte[] pathname, int flags, int mask, Pointer buf);

    /** Raw addresses: no Pointer object per call in the listing loop. */
    private static native int statx(int dirfd, long pathname, int flags, int mask, long buf);

    @Override
    public FileStat stat(String baseDir, byte[] relative) throws IOException {
        int fd = -1;
        for (int d = depth - 1; d >= 0 && fd < 0; d--) {
            if (dirByDepth[d].equals(baseDir)) {
                fd = fdByDepth[d];
            }
        }
        if (fd < 0) {
            return FileStats.super.stat(baseDir, relative);
        }
        if (statx(fd, relative, AT_SYMLINK_NOFOLLOW, MASK, buffer) != 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT || errno == ENOTDIR) {
                return null;
            }
            throw new FileSystemException(baseDir, null, "statx failed with errno " + errno);
        }
        return decode();
    }

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
        return decode();
    }

    private FileStat decode() {
        int mode = statView.getShort(OFFSET_MODE) & 0xffff;
        long seconds = statView.getLong(OFFSET_MTIME);
        long nanos = statView.getInt(OFFSET_MTIME + 8) & 0xffffffffL;
        return new FileStat((mode & S_IFMT) == S_IFDIR, statView.getLong(OFFSET_SIZE),
                statView.getLong(OFFSET_BLOCKS) * 512L, seconds * 1_000_000_000L + nanos);
    }

    /** getdents64 + statx relative to the directory's descriptor, like du's fts: one short path walk per entry. */
    @Override
    public boolean list(String dir, ScanCounters counters, EntryVisitor visitor) throws IOException {
        if (!NativeDirectory.AVAILABLE) {
            return FileStats.super.list(dir, counters, visitor);
        }
        int fd = NativeDirectory.open(dir, NativeDirectory.O_RDONLY | NativeDirectory.O_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT || errno == ENOTDIR) {
                return false;
            }
            throw errno == EACCES ? new AccessDeniedException(dir) : new FileSystemException(dir, null, "open failed with errno " + errno);
        }
        if (depth == dentsByDepth.length) {
            NativeDirectory.close(fd);
            return FileStats.super.list(dir, counters, visitor);
        }
        counters.directoriesListed++;
        if (dentsByDepth[depth] == null) {
            dentsByDepth[depth] = new Memory(DENTS_SIZE);
            namesByDepth[depth] = new byte[DENTS_SIZE];
        }
        Memory dents = dentsByDepth[depth];
        long dentsAddress = Pointer.nativeValue(dents);
        long bufferAddress = Pointer.nativeValue(buffer);
        byte[] names = namesByDepth[depth];
        fdByDepth[depth] = fd;
        dirByDepth[depth] = dir;
        depth++;
        try {
            while (true) {
                long n = NativeDirectory.getdents64(fd, dents, DENTS_SIZE);
                if (n == 0) {
                    return true;
                }
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == ENOENT) {
                        return true; // removed while being read: what was read is all there is
                    }
                    throw new FileSystemException(dir, null, "getdents64 failed with errno " + errno);
                }
                dents.read(0, names, 0, (int) n);
                for (int pos = 0; pos < n; ) {
                    int recordLength = (names[pos + 16] & 0xff) | (names[pos + 17] & 0xff) << 8;
                    int start = pos + DIRENT_NAME;
                    int end = start;
                    while (names[end] != 0) {
                        end++;
                    }
                    pos += recordLength;
                    if (isDotOrDotDot(names, start, end)) {
                        continue;
                    }
                    counters.pathsStatted++;
                    if (statx(fd, dentsAddress + start, AT_SYMLINK_NOFOLLOW, MASK, bufferAddress) != 0) {
                        int errno = Native.getLastError();
                        if (errno == ENOENT || errno == ENOTDIR) {
                            counters.vanished++;
                            continue;
                        }
                        throw new FileSystemException(dir, null, "statx failed with errno " + errno);
                    }
                    int mode = statView.getShort(OFFSET_MODE) & 0xffff;
                    long mtime = statView.getLong(OFFSET_MTIME) * 1_000_000_000L + (statView.getInt(OFFSET_MTIME + 8) & 0xffffffffL);
                    visitor.entry(names, start, end - start, (mode & S_IFMT) == S_IFDIR, statView.getLong(OFFSET_SIZE),
                            statView.getLong(OFFSET_BLOCKS) * 512L, mtime);
                }
            }
        } finally {
            depth--;
            dirByDepth[depth] = null;
            NativeDirectory.close(fd);
        }
    }

    private static boolean isDotOrDotDot(byte[] b, int start, int end) {
        int length = end - start;
        return b[start] == '.' && (length == 1 || (length == 2 && b[start + 1] == '.'));
    }

    @Override
    public boolean allocatedKnown() {
        return true;
    }
}
