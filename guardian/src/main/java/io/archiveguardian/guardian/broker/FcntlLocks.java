package io.archiveguardian.guardian.broker;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Asks the kernel whether some process holds a POSIX lock on a file: {@code fcntl(F_GETLK)} on a
 * descriptor opened read-only. It takes no lock, so a broker starting at that moment is not
 * stopped, and it works across PID namespaces, where {@code /proc/locks} shows nothing (the holder's
 * pid then reads 0). Linux on x86-64 and aarch64 only (the {@code struct flock} layout and
 * constants below are theirs); elsewhere {@link #available()} is false.
 *
 * <p>Caution: closing any descriptor of a file drops every POSIX lock the calling process holds on
 * it. {@link BrokerStateProbe} therefore never calls this for a file its own process has locked.
 */
final class FcntlLocks {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int F_GETLK = 5;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final short SEEK_SET = 0;
    /** struct flock on LP64 Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid. */
    private static final int SIZE = 32;
    private static final int OFFSET_WHENCE = 2;
    private static final int OFFSET_START = 8;
    private static final int OFFSET_LEN = 16;
    private static final int OFFSET_PID = 24;

    interface C extends Library {
        int open(String path, int flags) throws LastErrorException;

        int fcntl(int fd, int cmd, Pointer flock) throws LastErrorException;

        int close(int fd);
    }

    private static final C LIBC = load();

    private static C load() {
        if (!Platform.isLinux() || !Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())
                || Boolean.getBoolean("guardian.broker.no-fcntl")) {
            return null;
        }
        try {
            return Native.load(Platform.C_LIBRARY_NAME, C.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    boolean available() {
        return LIBC != null;
    }

    /**
     * The pid of a process holding a lock that conflicts with a write lock on the whole file (0 when
     * the holder is in another PID namespace), or empty when nobody holds one.
     */
    OptionalLong holder(Path file) throws IOException {
        if (LIBC == null) {
            throw new IOException("fcntl(F_GETLK) is not available on this platform");
        }
        int fd;
        try {
            fd = LIBC.open(file.toString(), O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + file + " read-only: errno " + e.getErrorCode());
        }
        try (Memory flock = new Memory(SIZE)) {
            flock.clear();
            flock.setShort(0, F_WRLCK);
            flock.setShort(OFFSET_WHENCE, SEEK_SET);
            flock.setLong(OFFSET_START, 0);
            flock.setLong(OFFSET_LEN, 0);
            try {
                LIBC.fcntl(fd, F_GETLK, flock);
            } catch (LastErrorException e) {
                throw new IOException("fcntl(F_GETLK) on " + file + " failed: errno " + e.getErrorCode());
            }
            if (flock.getShort(0) == F_UNLCK) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.max(0, flock.getInt(OFFSET_PID)));
        } finally {
            LIBC.close(fd);
        }
    }
}
