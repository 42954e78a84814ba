package io.archiveguardian.guardian.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The broker holds a POSIX lock on {@code <logdir>/.lock} while it runs (KAFKA-FACTS). This probe
 * reads {@code /proc/locks} and looks for a lock on the inode of that file; it never takes the lock
 * itself (a probe holding it would make a starting broker fail). No {@code .lock} file means the
 * broker stopped cleanly. Matching by inode alone can only err towards "running", the safe side.
 * TODO(lead): replace with the shared broker-state probe.
 */
public final class ProcLocksBrokerState implements LocalBrokerState {

    private final Path procLocks;

    public ProcLocksBrokerState() {
        this(Path.of("/proc/locks"));
    }

    ProcLocksBrokerState(Path procLocks) {
        this.procLocks = procLocks;
    }

    @Override
    public boolean isRunning(List<Path> logDirs) {
        Set<Long> locked = lockedInodes();
        for (Path dir : logDirs) {
            Path lock = dir.resolve(".lock");
            try {
                long inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
                if (locked.contains(inode)) {
                    return true;
                }
            } catch (NoSuchFileException e) {
                // no .lock: the broker is not running on this log dir
            } catch (IOException | UnsupportedOperationException e) {
                return true; // cannot rule it out
            }
        }
        return false;
    }

    /** Inodes of every lock in /proc/locks; lines look like {@code 1: POSIX ADVISORY WRITE 42 fd:01:1234 0 EOF}. */
    Set<Long> lockedInodes() {
        List<String> lines;
        try {
            lines = Files.readAllLines(procLocks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procLocks + " to tell whether the broker runs: " + e.getMessage(), e);
        }
        Set<Long> inodes = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.replace("->", " ").trim().split("\\s+");
            if (fields.length < 6) {
                continue;
            }
            String[] devInode = fields[5].split(":");
            if (devInode.length == 3) {
                try {
                    inodes.add(Long.parseLong(devInode[2]));
                } catch (NumberFormatException ignored) {
                    // not a lock line
                }
            }
        }
        return inodes;
    }
}
