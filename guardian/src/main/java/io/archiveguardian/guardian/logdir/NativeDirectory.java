package io.archiveguardian.guardian.logdir;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * {@code open}, {@code getdents64} (glibc 2.30+) and {@code close} through JNA direct mapping:
 * a directory read in 64 KiB batches, names as bytes, no Java object per entry. Registered apart
 * from {@code statx} so that an older libc without {@code getdents64} still gets block counts.
 */
final class NativeDirectory {

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 02000000;

    static final boolean AVAILABLE = register();

    private NativeDirectory() {
    }

    private static boolean register() {
        if (!Platform.isLinux() || Boolean.getBoolean("guardian.scan.portable")) {
            return false;
        }
        try {
            Native.register(NativeDirectory.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    static native int open(String path, int flags);

    static native long getdents64(int fd, Pointer buffer, long length);

    static native int close(int fd);
}
