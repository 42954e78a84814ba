package io.archiveguardian.guardian.logdir;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private record Entry(SegmentFileName kind, long baseOffset, FileStat stat) {
    }

    /** Lists and stats everything; empty when the directory itself vanished. */
    Optional<PartitionScan> readAll(Path dir, PartitionDirName name, FileStat dirStat) {
        counters.partitionsRead++;
        List<Entry> entries = new ArrayList<>();
        FileSize[] other = {dirStat.size()};
        try {
            boolean exists = stats.list(dir.toString(), counters, (bytes, offset, length, stat) -> {
                SegmentFileName kind = stat.directory() ? SegmentFileName.OTHER : SegmentFileName.of(bytes, offset, length);
                if (kind == SegmentFileName.OTHER) {
                    other[0] = other[0].plus(stat.apparentBytes(), stat.allocatedBytes());
                } else {
                    entries.add(new Entry(kind, SegmentFileName.baseOffset(bytes, offset), stat));
                }
            });
            if (!exists) {
                counters.vanished++;
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of(PartitionScan.failed(name, "cannot read " + dir + ": " + describe(e)));
        }
        return Optional.of(summarize(name, dirStat.modifiedNanos(), entries, other[0]));
    }

    private static PartitionScan summarize(PartitionDirName name, long modifiedNanos, List<Entry> entries, FileSize other) {
        long active = -1;
        int logs = 0;
        for (Entry e : entries) {
            if (e.kind == SegmentFileName.LOG) {
                logs++;
                active = Math.max(active, e.baseOffset);
            }
        }
        long[] baseOffsets = new long[logs];
        long[] logBytes = new long[logs];
        SegmentTally closed = new SegmentTally();
        SegmentTally current = new SegmentTally();
        SegmentTally snapshots = new SegmentTally();
        int i = 0;
        for (Entry e : entries) {
            if (e.kind == SegmentFileName.LOG) {
                baseOffsets[i] = e.baseOffset;
                logBytes[i++] = e.stat.apparentBytes();
            }
            if (e.kind == SegmentFileName.SNAPSHOT) {
                snapshots.add(e.kind, e.stat);
            } else {
                (e.baseOffset == active ? current : closed).add(e.kind, e.stat);
            }
        }
        return new PartitionScan(name, Segments.of(baseOffsets, logBytes), closed.files(), current.files(),
                snapshots.snapshotFiles, snapshots.snapshots, other, modifiedNanos, Optional.empty());
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
            current.add(kind, stat);
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
        FileSize log = FileSize.ZERO;
        FileSize offsetIndex = FileSize.ZERO;
        FileSize timeIndex = FileSize.ZERO;
        FileSize txnIndex = FileSize.ZERO;
        int snapshotFiles;
        FileSize snapshots = FileSize.ZERO;

        void add(SegmentFileName kind, FileStat stat) {
            FileSize size = stat.size();
            switch (kind) {
                case LOG -> {
                    segments++;
                    log = log.plus(size);
                }
                case OFFSET_INDEX -> offsetIndex = offsetIndex.plus(size);
                case TIME_INDEX -> timeIndex = timeIndex.plus(size);
                case TXN_INDEX -> {
                    txnIndexFiles++;
                    txnIndex = txnIndex.plus(size);
                }
                case SNAPSHOT -> {
                    snapshotFiles++;
                    snapshots = snapshots.plus(size);
                }
                default -> throw new IllegalArgumentException("not a segment file: " + kind);
            }
        }

        SegmentFiles files() {
            return new SegmentFiles(segments, txnIndexFiles, log, offsetIndex, timeIndex, txnIndex);
        }
    }
}
