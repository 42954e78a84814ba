package io.archiveguardian.guardian.logdir;

import java.util.List;

/**
 * Sums over one log dir. {@code partitions} counts live partitions and the metadata partition;
 * special directories are summed apart in {@code special}; {@code rootFiles} is everything at the
 * log dir's top level (checkpoints, {@code meta.properties}, the directory itself).
 * {@code total} is every byte counted and is what {@code du -s} of the log dir shows.
 */
public record LogDirTotals(
        int partitions,
        long segments,
        FileSize log,
        FileSize offsetIndex,
        FileSize timeIndex,
        FileSize txnIndex,
        int snapshotFiles,
        FileSize snapshots,
        FileSize other,
        int specialDirectories,
        FileSize special,
        FileSize rootFiles,
        FileSize total) {

    public static LogDirTotals of(List<PartitionScan> partitions, List<PartitionScan> special, FileSize rootFiles) {
        long segments = 0;
        int snapshotFiles = 0;
        FileSize log = FileSize.ZERO;
        FileSize offsetIndex = FileSize.ZERO;
        FileSize timeIndex = FileSize.ZERO;
        FileSize txnIndex = FileSize.ZERO;
        FileSize snapshots = FileSize.ZERO;
        FileSize other = FileSize.ZERO;
        for (PartitionScan p : partitions) {
            SegmentFiles files = p.files();
            segments += files.segments();
            log = log.plus(files.log());
            offsetIndex = offsetIndex.plus(files.offsetIndex());
            timeIndex = timeIndex.plus(files.timeIndex());
            txnIndex = txnIndex.plus(files.txnIndex());
            snapshotFiles += p.snapshotFiles();
            snapshots = snapshots.plus(p.snapshots());
            other = other.plus(p.other());
        }
        FileSize specialBytes = FileSize.ZERO;
        for (PartitionScan s : special) {
            specialBytes = specialBytes.plus(s.total());
        }
        FileSize total = log.plus(offsetIndex).plus(timeIndex).plus(txnIndex).plus(snapshots).plus(other)
                .plus(specialBytes).plus(rootFiles);
        return new LogDirTotals(partitions.size(), segments, log, offsetIndex, timeIndex, txnIndex, snapshotFiles,
                snapshots, other, special.size(), specialBytes, rootFiles, total);
    }

    /** The three index kinds together. */
    public FileSize indexes() {
        return offsetIndex.plus(timeIndex).plus(txnIndex);
    }
}
