package io.archiveguardian.reserve;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The few libc calls the fallocate path needs (Linux only; absent elsewhere). */
interface LibC extends Library {

    int O_WRONLY = 1;
    int O_CLOEXEC = 0x80000;
    int EINTR = 4;
    int ENOSPC = 28;
    int ENOSYS = 38;
    int EOPNOTSUPP = 95;

    int open(String path, int flags);

    int fallocate(int fd, int mode, long offset, long length);

    int close(int fd);

    String strerror(int errno);

    /** libc, or null where it cannot be loaded or has no fallocate (not Linux). */
    static LibC load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return null;
        }
    }
}
