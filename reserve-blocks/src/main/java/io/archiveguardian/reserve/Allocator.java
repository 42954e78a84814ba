package io.archiveguardian.reserve;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a tier file its blocks: {@code fallocate(2)} through JNA, or writing incompressible
 * (pseudo-random) data, rate-limited and fsynced. Zeros are never written: they may be kept
 * sparse, compressed or deduplicated and then hold nothing.
 */
final class Allocator {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);
    private static final LibC LIBC = LibC.load();
    private static final long FALLOCATE_CHUNK = 256L * 1024 * 1024;
    private static final int WRITE_CHUNK = 1024 * 1024;

    private final ReserveOptions options;
    private final Supplier<Optional<String>> giveWay;

    /**
     * @param giveWay asked between chunks and while the write path waits for its rate: a reason
     *                makes the allocation stop (a release is waiting, the broker stopped)
     */
    Allocator(ReserveOptions options, Supplier<Optional<String>> giveWay) {
        this.options = options;
        this.giveWay = giveWay;
    }

    /** Whether this platform can call fallocate at all. */
    static boolean fallocateAvailable() {
        return LIBC != null;
    }

    /**
     * Creates {@code file} (which must not exist) with the header, then allocates it to
     * {@code size} bytes (the write path also fsyncs it).
     */
    AllocationMethod allocate(Path file, TierHeader header, long size)
            throws IOException, NoSpaceException, ArmAbandonedException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(header.toBytes()), 0);
        } catch (IOException e) {
            throw noSpaceOr(e, 0);
        }
        AllocationMode mode = options.allocationMode();
        if (mode != AllocationMode.WRITE) {
            if (LIBC == null) {
                if (mode == AllocationMode.FALLOCATE) {
                    throw new ReserveException("fallocate is not available on this platform; use the write mode");
                }
            } else if (fallocate(file, header.tier(), size)) {
                sync(file, size);
                return AllocationMethod.FALLOCATE;
            } else if (mode == AllocationMode.FALLOCATE) {
                throw new ReserveException("the filesystem of " + file + " does not support fallocate; use the "
                        + "write mode (or AUTO, which falls back to it)");
            }
        }
        write(file, header.tier(), size);
        sync(file, size);
        return AllocationMethod.WRITE;
    }

    /**
     * fsyncs the whole file, data and size (fsync, not fdatasync), before the caller renames it to
     * its final name: a power cut after the rename then finds a complete tier with its header, and
     * one before it finds only a partial file. Without this, a journal that commits the rename
     * before the data could leave a file with a tier's name whose header reads as zeros.
     */
    private static void sync(Path file, long allocated) throws IOException, NoSpaceException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            force(ch, allocated);
        }
    }

    /** @return false when the filesystem does not support fallocate (nothing was allocated then) */
    private boolean fallocate(Path file, int tier, long size)
            throws IOException, NoSpaceException, ArmAbandonedException {
        int fd = LIBC.open(file.toString(), LibC.O_WRONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open " + file + ": " + LIBC.strerror(Native.getLastError()));
        }
        try {
            options.observer().tierStarted(tier, size, AllocationMethod.FALLOCATE);
            long offset = TierHeader.SIZE;
            while (offset < size) {
                checkGiveWay(offset);
                long length = Math.min(FALLOCATE_CHUNK, size - offset);
                int rc = LIBC.fallocate(fd, 0, offset, length);
                if (rc != 0) {
                    int errno = Native.getLastError();
                    if (errno == LibC.EINTR) {
                        continue;
                    }
                    if ((errno == LibC.EOPNOTSUPP || errno == LibC.ENOSYS) && offset == TierHeader.SIZE) {
                        LOG.info("fallocate is not supported on the filesystem of {}; writing data instead", file);
                        return false;
                    }
                    if (errno == LibC.ENOSPC) {
                        throw new NoSpaceException(offset, new IOException(LIBC.strerror(errno)));
                    }
                    throw new IOException("fallocate " + file + " at offset " + offset + ": " + LIBC.strerror(errno));
                }
                offset += length;
                options.observer().tierProgress(tier, offset, size);
            }
            return true;
        } finally {
            LIBC.close(fd);
        }
    }

    private void write(Path file, int tier, long size) throws IOException, NoSpaceException, ArmAbandonedException {
        options.observer().tierStarted(tier, size, AllocationMethod.WRITE);
        ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_CHUNK).order(ByteOrder.nativeOrder());
        LongBuffer longs = buffer.asLongBuffer();
        SplittableRandom random = new SplittableRandom(System.nanoTime() ^ file.hashCode());
        long rate = options.writeRateBytesPerSecond();
        long start = System.nanoTime();
        long offset = TierHeader.SIZE;
        long sinceSync = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (offset < size) {
                checkGiveWay(offset);
                int length = (int) Math.min(WRITE_CHUNK, size - offset);
                longs.clear();
                while (longs.hasRemaining()) {
                    longs.put(random.nextLong());
                }
                buffer.clear().limit(length);
                try {
                    writeFully(ch, buffer, offset);
                } catch (IOException e) {
                    throw noSpaceOr(e, offset);
                }
                offset += length;
                sinceSync += length;
                if (sinceSync >= options.writeSyncEveryBytes()) {
                    force(ch, offset);
                    sinceSync = 0;
                }
                options.observer().tierProgress(tier, offset, size);
                if (rate > 0) {
                    long due = start + (long) ((offset - TierHeader.SIZE) * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    while (wait > 0) {
                        // In slices: a long wait for the rate must not delay giving way.
                        LockSupport.parkNanos(Math.min(wait, GiveWay.CHECK_EVERY_MILLIS * 1_000_000));
                        checkGiveWay(offset);
                        wait = due - System.nanoTime();
                    }
                }
            }
            force(ch, offset);
        }
    }

    private void checkGiveWay(long offset) throws ArmAbandonedException {
        Optional<String> why = giveWay.get();
        if (why.isPresent()) {
            throw new ArmAbandonedException(offset, why.get());
        }
    }

    private static void force(FileChannel ch, long offset) throws IOException, NoSpaceException {
        try {
            ch.force(true);
        } catch (IOException e) {
            throw noSpaceOr(e, offset);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            pos += ch.write(buffer, pos);
        }
    }

    /** Throws {@link NoSpaceException} for ENOSPC (and quota); returns any other exception to rethrow. */
    private static IOException noSpaceOr(IOException e, long allocated) throws NoSpaceException {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
            throw new NoSpaceException(allocated, e);
        }
        return e;
    }
}
