package io.archiveguardian.reserve;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Reserve} allocates and locks.
 *
 * @param allocationMode           fallocate where supported (AUTO), or force one method
 * @param writeRateBytesPerSecond  the write path's rate limit; 0 means unlimited
 * @param writeSyncEveryBytes      the write path fsyncs after this many bytes (and at the end)
 * @param lockTimeout              how long to wait for another process holding the reserve's lock
 * @param observer                 hears progress
 * @param actor                    who acts, for the audit log
 */
public record ReserveOptions(
        AllocationMode allocationMode,
        long writeRateBytesPerSecond,
        long writeSyncEveryBytes,
        Duration lockTimeout,
        ReserveObserver observer,
        Actor actor) {

    public static final long DEFAULT_SYNC_EVERY_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    public ReserveOptions {
        Objects.requireNonNull(allocationMode, "allocationMode");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(actor, "actor");
        if (writeRateBytesPerSecond < 0) {
            throw new IllegalArgumentException("the write rate must be 0 (unlimited) or positive, got "
                    + writeRateBytesPerSecond);
        }
        if (writeSyncEveryBytes <= 0) {
            throw new IllegalArgumentException("writeSyncEveryBytes must be positive, got " + writeSyncEveryBytes);
        }
    }

    /** fallocate where supported, unlimited write rate, 30 s lock timeout, acting as {@code program}. */
    public static ReserveOptions defaults(String program) {
        return new ReserveOptions(AllocationMode.AUTO, 0, DEFAULT_SYNC_EVERY_BYTES, DEFAULT_LOCK_TIMEOUT,
                ReserveObserver.NONE, Actor.current(program));
    }

    public ReserveOptions withAllocationMode(AllocationMode mode) {
        return new ReserveOptions(mode, writeRateBytesPerSecond, writeSyncEveryBytes, lockTimeout, observer, actor);
    }

    public ReserveOptions withWriteRate(long bytesPerSecond) {
        return new ReserveOptions(allocationMode, bytesPerSecond, writeSyncEveryBytes, lockTimeout, observer, actor);
    }

    public ReserveOptions withWriteSyncEvery(long bytes) {
        return new ReserveOptions(allocationMode, writeRateBytesPerSecond, bytes, lockTimeout, observer, actor);
    }

    public ReserveOptions withLockTimeout(Duration timeout) {
        return new ReserveOptions(allocationMode, writeRateBytesPerSecond, writeSyncEveryBytes, timeout, observer, actor);
    }

    public ReserveOptions withObserver(ReserveObserver newObserver) {
        return new ReserveOptions(allocationMode, writeRateBytesPerSecond, writeSyncEveryBytes, lockTimeout, newObserver,
                actor);
    }
}
