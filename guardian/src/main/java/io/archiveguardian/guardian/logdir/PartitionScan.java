package io.archiveguardian.guardian.logdir;

import java.util.Optional;

/**
 * One subdirectory of a log dir: a partition replica (or a special directory), its segments split
 * into the closed ones and the active one, snapshots, and everything else in it ({@code other}:
 * {@code leader-epoch-checkpoint}, {@code partition.metadata}, transient {@code .deleted},
 * {@code .cleaned}, {@code .swap} files, and the directory's own size).
 *
 * @param modifiedNanos the directory's mtime when it was listed; an incremental scan re-lists the
 *                      directory only when it changed
 */
public record PartitionScan(
        PartitionDirName name,
        Segments segments,
        SegmentFiles closed,
        SegmentFiles active,
        int snapshotFiles,
        FileSize snapshots,
        FileSize other,
        long modifiedNanos,
        Optional<String> error) {

    public static PartitionScan failed(PartitionDirName name, String error) {
        return new PartitionScan(name, Segments.NONE, SegmentFiles.NONE, SegmentFiles.NONE, 0, FileSize.ZERO,
                FileSize.ZERO, 0, Optional.of(error));
    }

    public PartitionKind kind() {
        return name.kind();
    }

    public SegmentFiles files() {
        return closed.plus(active);
    }

    public int segmentCount() {
        return files().segments();
    }

    public FileSize log() {
        return files().log();
    }

    public FileSize offsetIndex() {
        return files().offsetIndex();
    }

    public FileSize timeIndex() {
        return files().timeIndex();
    }

    public FileSize txnIndex() {
        return files().txnIndex();
    }

    /** Every byte counted in this directory, the directory itself included. */
    public FileSize total() {
        return files().total().plus(snapshots).plus(other);
    }
}
