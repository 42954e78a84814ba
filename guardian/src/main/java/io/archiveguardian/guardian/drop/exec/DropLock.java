package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a drop atomic against a broker start: holds the broker's own {@code <logdir>/.lock} the
 * way Kafka takes it ({@code FileChannel.tryLock} on the file, created if absent; KAFKA-FACTS) for
 * the whole drop, and keeps a {@link DropMarker} next to each log dir. A broker started meanwhile
 * fails to take the lock and exits instead of loading a log dir being changed; {@code prestart}
 * reads the marker and says "a drop is running". Getting the lock is itself the re-check that no
 * broker runs: a running broker holds it.
 */
public final class DropLock implements AutoCloseable {

    static final String LOCK_FILE = ".lock";

    private record Held(Path lockFile, boolean created, FileChannel channel, FileLock lock) {
    }

    private final List<Held> held;
    private final List<Path> trashRoots;
    private DropMarker marker;
    private boolean keepMarker;

    private DropLock(List<Held> held, List<Path> trashRoots, DropMarker marker) {
        this.held = held;
        this.trashRoots = trashRoots;
        this.marker = marker;
    }

    /**
     * Takes {@code .lock} in every log dir, then writes the marker next to each.
     *
     * @throws GuardianException exit 3 when a broker holds a lock (it runs, or just started); nothing changed
     */
    public static DropLock acquire(List<Path> logDirs, List<Path> trashRoots, DropMarker marker) {
        List<Held> held = new ArrayList<>();
        try {
            for (Path dir : logDirs) {
                Path file = dir.resolve(LOCK_FILE);
                boolean existed = Files.exists(file);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    ch.close();
                    throw new GuardianException(ExitCodes.CHECK_FAILED, "a broker holds " + file + ": it is running (or has just "
                            + "started). Stop it first; nothing was changed.");
                }
                held.add(new Held(file, !existed, ch, lock));
            }
            DropLock result = new DropLock(held, List.copyOf(trashRoots), marker);
            for (Path root : trashRoots) {
                marker.write(root);
            }
            return result;
        } catch (IOException e) {
            release(held);
            throw new GuardianException(ExitCodes.FAILED, "cannot lock the log dirs for the drop: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(held);
            throw e;
        }
    }

    /** Records the drop's phase in every marker, before the phase starts. */
    public void phase(String phase) {
        marker = marker.inPhase(phase);
        try {
            for (Path root : trashRoots) {
                marker.write(root);
            }
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot write the drop marker: " + e.getMessage(), e);
        }
    }

    public DropMarker marker() {
        return marker;
    }

    /**
     * The drop stops half-way (it submitted reassignments, or moved some directories): its marker
     * stays so that prestart reports it and {@code drop --finish} can complete it; the lock goes.
     */
    public void keepMarker() {
        keepMarker = true;
    }

    /** The drop ended (done or stopped cleanly): markers go, then the locks (a .lock it created goes too). */
    @Override
    public void close() {
        for (Path root : keepMarker ? List.<Path>of() : trashRoots) {
            try {
                DropMarker.delete(root);
            } catch (IOException e) {
                // the marker then reports a dead drop to prestart: loud, never silent
            }
        }
        release(held);
    }

    private static void release(List<Held> held) {
        for (Held h : held) {
            try {
                if (h.created()) {
                    Files.deleteIfExists(h.lockFile()); // deleted while still locked: leave the dir as found
                }
                h.lock().release();
                h.channel().close();
            } catch (IOException e) {
                // closing releases the lock in any case
            }
        }
    }
}
