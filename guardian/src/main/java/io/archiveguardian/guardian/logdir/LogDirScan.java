package io.archiveguardian.guardian.logdir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of scanning one log dir: immutable, and the input of the next incremental scan.
 *
 * @param startedAt      when the scan started (from the scanner's clock)
 * @param error          set when the log dir itself could not be read (missing, offline,
 *                       unreadable); the lists are then empty
 * @param allocatedKnown false when the platform gave no block counts and allocated sizes are the
 *                       apparent sizes
 * @param partitions     live partitions and {@code __cluster_metadata-0}, by name
 * @param special        {@code -delete}, {@code -future}, {@code -stray} and unrecognized directories
 */
public record LogDirScan(
        Path logDir,
        Instant startedAt,
        ScanWork work,
        Optional<String> error,
        boolean allocatedKnown,
        List<PartitionScan> partitions,
        List<PartitionScan> special,
        FileSize rootFiles,
        OffsetCheckpoint recoveryPoints,
        OffsetCheckpoint logStartOffsets,
        LogDirTotals totals) {

    public LogDirScan {
        partitions = List.copyOf(partitions);
        special = List.copyOf(special);
    }

    static LogDirScan failed(Path logDir, Instant startedAt, ScanWork work, String error) {
        OffsetCheckpoint none = OffsetCheckpoint.unreadable(error);
        return new LogDirScan(logDir, startedAt, work, Optional.of(error), false, List.of(), List.of(),
                FileSize.ZERO, none, none, LogDirTotals.of(List.of(), List.of(), FileSize.ZERO));
    }

    public boolean ok() {
        return error.isEmpty();
    }

    /** The live (or metadata) partition {@code topic-N}, if present. */
    public Optional<PartitionScan> partition(String topicPartition) {
        return partitions.stream().filter(p -> p.name().name().equals(topicPartition)).findFirst();
    }

    /**
     * {@code .log} bytes a recovery of this log dir would re-read: per partition, from the segment
     * containing its recovery point. A partition without an entry starts at 0, and an unusable
     * checkpoint file means everything (as the broker does).
     */
    public long logBytesFromRecoveryPoints() {
        long sum = 0;
        for (PartitionScan p : partitions) {
            sum += p.segments().logBytesFrom(recoveryPoint(p));
        }
        return sum;
    }

    /** Segments a recovery would re-read, counted as in {@link #logBytesFromRecoveryPoints()}. */
    public long segmentsFromRecoveryPoints() {
        long sum = 0;
        for (PartitionScan p : partitions) {
            sum += p.segments().countFrom(recoveryPoint(p));
        }
        return sum;
    }

    /** {@code .log} bytes a recovery would re-read in one partition of this scan. */
    public long logBytesFromRecoveryPoint(PartitionScan p) {
        return p.segments().logBytesFrom(recoveryPoint(p));
    }

    /** Segments a recovery would re-read in one partition of this scan. */
    public long segmentsFromRecoveryPoint(PartitionScan p) {
        return p.segments().countFrom(recoveryPoint(p));
    }

    private long recoveryPoint(PartitionScan p) {
        if (recoveryPoints.status() != OffsetCheckpoint.Status.OK) {
            return 0;
        }
        return recoveryPoints.offset(p.name().topicPartition()).orElse(0);
    }
}
