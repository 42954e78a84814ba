package io.archiveguardian.reserve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock that serialises every process (CLI, sidecar) and thread working on one
 * reserve: a POSIX lock on the reserve's lock file, plus an in-process lock (POSIX locks are per
 * process). The holder writes its pid and program into the file so a waiter can name it.
 */
final class ReserveLock implements AutoCloseable {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 50;
    private static final long URGENT_FRESH_MILLIS = 2000;

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ReserveLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Takes the lock, waiting up to {@code timeout}. With an {@code urgentMarker} (a release), the
     * waiter keeps that file fresh while it waits: an arm on the slow write path sees it and gives
     * up its tier, so a release never waits for a re-arm to finish.
     */
    static ReserveLock acquire(Path lockFile, Duration timeout, Actor actor, String operation, Path urgentMarker) {
        try {
            return acquire(lockFile, timeout, actor, operation, Optional.ofNullable(urgentMarker));
        } finally {
            if (urgentMarker != null) {
                try {
                    Files.deleteIfExists(urgentMarker);
                } catch (IOException ignored) {
                    // a stale marker is ignored by its age
                }
            }
        }
    }

    private static ReserveLock acquire(Path lockFile, Duration timeout, Actor actor, String operation,
                                       Optional<Path> urgentMarker) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        try {
            while (!threadLock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                urgentMarker.ifPresent(ReserveLock::touch);
                if (System.nanoTime() >= deadline) {
                    throw new ReserveLockedException("The reserve at " + lockFile.getParent() + " is busy with another "
                            + "operation in this process; waited " + timeout.toMillis() + " ms. Retry when it finishes.");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReserveException("interrupted while waiting for the reserve lock " + lockFile, e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    recordHolder(channel, actor, operation);
                    return new ReserveLock(threadLock, channel, lock);
                }
                if (System.nanoTime() >= deadline) {
                    throw new ReserveLockedException("The reserve at " + lockFile.getParent() + " is locked by "
                            + holder(lockFile) + "; waited " + timeout.toMillis() + " ms. Retry when that operation "
                            + "finishes, or check whether the process is stuck (the lock goes away when it exits).");
                }
                urgentMarker.ifPresent(ReserveLock::touch);
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            threadLock.unlock();
            Thread.currentThread().interrupt();
            throw new ReserveException("interrupted while waiting for the reserve lock " + lockFile, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw e;
        }
    }

    /** Creates the marker or refreshes its time (an empty file: it needs no free block). */
    private static void touch(Path marker) {
        try {
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // the release still waits for the lock as usual
        }
    }

    /** Whether a waiting release refreshed {@code marker} within the last {@link #URGENT_FRESH_MILLIS}. */
    static boolean urgentRequest(Path marker) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(marker).toMillis() < URGENT_FRESH_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    /** Best effort: on a full disk the holder line may not fit, and the lock still holds. */
    private static void recordHolder(FileChannel channel, Actor actor, String operation) {
        String line = "pid=" + actor.pid() + " user=" + actor.user() + " program=" + actor.program()
                + " operation=" + operation + " since=" + Instant.now() + "\n";
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException ignored) {
            // the holder description is informative only
        }
    }

    private static String holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "another process" : "another process (" + text + ")";
        } catch (IOException e) {
            return "another process";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
    }
}
