package io.archiveguardian.guardian.logdir;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one partition directory: in full (list and stat every file), or, when the directory has
 * not changed, only its active segment. Files that vanish between listing and stat are skipped.
 */
final class PartitionDirReader {

    private final FileStats stats;
    private final ScanCounters counters;

    PartitionDirReader(FileStats stats, ScanCounters counters) {
        this.stats = stats;
        this.counters = counters;
    }

    /** The segment files of the directory being read, reused from one directory to the next. */
    private final SegmentEntries entries = new SegmentEntries();

    /** Lists and stats everything; empty when the directory itself vanished. */
    Optional<PartitionScan> readAll(Path dir, PartitionDirName name, FileStat dirStat) {
        counters.partitionsRead++;
        entries.clear();
        long[] other = {dirStat.apparentBytes(), dirStat.allocatedBytes()};
        try {
            boolean exists = stats.list(dir.toString(), counters, (bytes, offset, length, directory, apparent, allocated, mtime) -> {
                SegmentFileName kind = directory ? SegmentFileName.OTHER : SegmentFileName.of(bytes, offset, length);
                if (kind == SegmentFileName.OTHER) {
                    other[0] += apparent;
                    other[1] += allocated;
                } else {
                    entries.add(kind, SegmentFileName.baseOffset(bytes, offset), apparent, allocated);
                }
            });
            if (!exists) {
                counters.vanished++;
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of(PartitionScan.failed(name, "cannot read " + dir + ": " + describe(e)));
        }
        return Optional.of(summarize(name, dirStat.modifiedNanos(), entries, new FileSize(other[0], other[1])));
    }

    private static PartitionScan summarize(PartitionDirName name, long modifiedNanos, SegmentEntries entries, FileSize other) {
        long active = -1;
        int logs = 0;
        for (int e = 0; e < entries.size; e++) {
            if (entries.kinds[e] == SegmentFileName.LOG) {
                logs++;
                active = Math.max(active, entries.baseOffsets[e]);
            }
        }
        long[] baseOffsets = new long[logs];
        long[] logBytes = new long[logs];
        SegmentTally closed = new SegmentTally();
        SegmentTally current = new SegmentTally();
        SegmentTally snapshots = new SegmentTally();
        int i = 0;
        for (int e = 0; e < entries.size; e++) {
            SegmentFileName kind = entries.kinds[e];
            if (kind == SegmentFileName.LOG) {
                baseOffsets[i] = entries.baseOffsets[e];
                logBytes[i++] = entries.apparent[e];
            }
            SegmentTally tally = kind == SegmentFileName.SNAPSHOT ? snapshots
                    : entries.baseOffsets[e] == active ? current : closed;
            tally.add(kind, entries.apparent[e], entries.allocated[e]);
        }
        return new PartitionScan(name, Segments.of(baseOffsets, logBytes), closed.files(), current.files(),
                snapshots.snapshotFiles, new FileSize(snapshots.snapshotApparent, snapshots.snapshotAllocated), other,
                modifiedNanos, Optional.empty());
    }

    /** Growable parallel arrays of (kind, base offset, apparent, allocated). */
    private static final class SegmentEntries {
        SegmentFileName[] kinds = new SegmentFileName[256];
        long[] baseOffsets = new long[256];
        long[] apparent = new long[256];
        long[] allocated = new long[256];
        int size;

        void clear() {
            size = 0;
        }

        void add(SegmentFileName kind, long baseOffset, long apparentBytes, long allocatedBytes) {
            if (size == kinds.length) {
                int capacity = size * 2;
                kinds = java.util.Arrays.copyOf(kinds, capacity);
                baseOffsets = java.util.Arrays.copyOf(baseOffsets, capacity);
                apparent = java.util.Arrays.copyOf(apparent, capacity);
                allocated = java.util.Arrays.copyOf(allocated, capacity);
            }
            kinds[size] = kind;
            baseOffsets[size] = baseOffset;
            apparent[size] = apparentBytes;
            allocated[size] = allocatedBytes;
            size++;
        }
    }

    private static final SegmentFileName[] ACTIVE_KINDS = {SegmentFileName.LOG, SegmentFileName.OFFSET_INDEX,
            SegmentFileName.TIME_INDEX, SegmentFileName.TXN_INDEX};

    /** {@code <partition dir>/<20 digits>.<extension>\0}, rebuilt in place for each stat. */
    private byte[] relative = new byte[256];

    /**
     * Re-reads the active segment of an unchanged directory: its {@code .log} and index files only,
     * by paths relative to the log dir being listed. A {@code .txnindex} that was absent is not
     * looked for: creating it would have changed the directory. Empty when the active {@code .log}
     * is gone (the caller then reads the directory in full).
     *
     * @param name    the partition directory's name, UTF-8, in {@code name[offset, offset + length)}
     */
    Optional<PartitionScan> refreshActive(String logDir, byte[] name, int offset, int length, PartitionScan previous) {
        if (previous.segments().activeBaseOffset().isEmpty()) {
            return Optional.of(previous);
        }
        long base = previous.segments().activeBaseOffset().getAsLong();
        int digitsAt = length + 1;
        int extensionAt = digitsAt + SegmentFileName.OFFSET_DIGITS + 1;
        if (relative.length < extensionAt + 16) {
            relative = new byte[extensionAt + 16];
        }
        System.arraycopy(name, offset, relative, 0, length);
        relative[length] = '/';
        long digits = base;
        for (int i = SegmentFileName.OFFSET_DIGITS - 1; i >= 0; i--) {
            relative[digitsAt + i] = (byte) ('0' + digits % 10);
            digits /= 10;
        }
        relative[extensionAt - 1] = '.';
        SegmentTally current = new SegmentTally();
        long logBytes = -1;
        for (SegmentFileName kind : ACTIVE_KINDS) {
            if (kind == SegmentFileName.TXN_INDEX && previous.active().txnIndexFiles() == 0) {
                continue;
            }
            String extension = kind.extension;
            for (int i = 0; i < extension.length(); i++) {
                relative[extensionAt + i] = (byte) extension.charAt(i);
            }
            relative[extensionAt + extension.length()] = 0;
            FileStat stat;
            try {
                counters.pathsStatted++;
                stat = stats.stat(logDir, relative);
            } catch (IOException e) {
                return Optional.empty();
            }
            if (stat == null) {
                if (kind == SegmentFileName.LOG) {
                    counters.vanished++;
                    return Optional.empty();
                }
                continue;
            }
            current.add(kind, stat.apparentBytes(), stat.allocatedBytes());
            if (kind == SegmentFileName.LOG) {
                logBytes = stat.apparentBytes();
            }
        }
        return Optional.of(new PartitionScan(previous.name(), previous.segments().withActiveLogBytes(logBytes),
                previous.closed(), current.files(), previous.snapshotFiles(), previous.snapshots(), previous.other(),
                previous.modifiedNanos(), Optional.empty()));
    }

    static String describe(Throwable e) {
        Throwable cause = e instanceof DirectoryIteratorException d ? d.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    /** Running sums of one group of segment files. */
    private static final class SegmentTally {
        int segments;
        int txnIndexFiles;
        int snapshotFiles;
        long logApparent;
        long logAllocated;
        long offsetIndexApparent;
        long offsetIndexAllocated;
        long timeIndexApparent;
        long timeIndexAllocated;
        long txnIndexApparent;
        long txnIndexAllocated;
        long snapshotApparent;
        long snapshotAllocated;

        void add(SegmentFileName kind, long apparent, long allocated) {
            switch (kind) {
                case LOG -> {
                    segments++;
                    logApparent += apparent;
                    logAllocated += allocated;
                }
                case OFFSET_INDEX -> {
                    offsetIndexApparent += apparent;
                    offsetIndexAllocated += allocated;
                }
                case TIME_INDEX -> {
                    timeIndexApparent += apparent;
                    timeIndexAllocated += allocated;
                }
                case TXN_INDEX -> {
                    txnIndexFiles++;
                    txnIndexApparent += apparent;
                    txnIndexAllocated += allocated;
                }
                case SNAPSHOT -> {
                    snapshotFiles++;
                    snapshotApparent += apparent;
                    snapshotAllocated += allocated;
                }
                default -> throw new IllegalArgumentException("not a segment file: " + kind);
            }
        }

        SegmentFiles files() {
            return new SegmentFiles(segments, txnIndexFiles, new FileSize(logApparent, logAllocated),
                    new FileSize(offsetIndexApparent, offsetIndexAllocated), new FileSize(timeIndexApparent, timeIndexAllocated),
                    new FileSize(txnIndexApparent, txnIndexAllocated));
        }
    }
}
