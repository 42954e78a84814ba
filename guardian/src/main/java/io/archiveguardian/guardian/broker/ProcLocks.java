package io.archiveguardian.guardian.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads {@code /proc/locks} to learn whether some process holds a lock on a file, without taking
 * the lock: a probe that held the broker's lock, even briefly, could stop the broker from
 * starting. Lines look like {@code 1: POSIX  ADVISORY  WRITE 4242 fd:01:1573020 0 EOF}, where the
 * device is {@code major:minor} in hex and the inode is decimal.
 */
public final class ProcLocks {

    private final Path procLocks;

    public ProcLocks() {
        this(Path.of("/proc/locks"));
    }

    ProcLocks(Path procLocks) {
        this.procLocks = procLocks;
    }

    public boolean available() {
        return Files.isReadable(procLocks);
    }

    /** The pid holding a lock on the file with this device and inode, if any. */
    public OptionalLong holder(long device, long inode) throws IOException {
        return holder(Files.readAllLines(procLocks), device, inode);
    }

    static OptionalLong holder(List<String> lines, long device, long inode) {
        long major = major(device);
        long minor = minor(device);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // "1:" "POSIX" "ADVISORY" "WRITE" pid dev:ino start end; blocked waiters carry "->" after the id.
            int i = 1;
            if (f.length > 1 && f[1].equals("->")) {
                continue;
            }
            if (f.length < i + 5) {
                continue;
            }
            String[] id = f[i + 4].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                if (Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor
                        && Long.parseLong(id[2]) == inode) {
                    return OptionalLong.of(Long.parseLong(f[i + 3]));
                }
            } catch (NumberFormatException e) {
                // a line of another shape; skip it
            }
        }
        return OptionalLong.empty();
    }

    /** glibc's gnu_dev_major. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's gnu_dev_minor. */
    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }
}
