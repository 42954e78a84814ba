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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ReserveLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static ReserveLock acquire(Path lockFile, Duration timeout, Actor actor, String operation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        try {
            if (!threadLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ReserveLockedException("The reserve at " + lockFile.getParent() + " is busy with another "
                        + "operation in this process; waited " + timeout.toMillis() + " ms. Retry when it finishes.");
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
