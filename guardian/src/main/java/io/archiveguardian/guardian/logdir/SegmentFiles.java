package io.archiveguardian.guardian.logdir;

/**
 * The segment files of a group of segments (the closed ones, or the active one): how many
 * {@code .log} files, how many {@code .txnindex} files (Kafka creates one only for a segment with
 * aborted transactions), and the size of each file kind.
 */
public record SegmentFiles(int segments, int txnIndexFiles, FileSize log, FileSize offsetIndex, FileSize timeIndex,
                           FileSize txnIndex) {

    public static final SegmentFiles NONE = new SegmentFiles(0, 0, FileSize.ZERO, FileSize.ZERO, FileSize.ZERO, FileSize.ZERO);

    public SegmentFiles plus(SegmentFiles other) {
        return new SegmentFiles(segments + other.segments, txnIndexFiles + other.txnIndexFiles, log.plus(other.log), offsetIndex.plus(other.offsetIndex),
                timeIndex.plus(other.timeIndex), txnIndex.plus(other.txnIndex));
    }

    /** The three index kinds together. */
    public FileSize indexes() {
        return offsetIndex.plus(timeIndex).plus(txnIndex);
    }

    public FileSize total() {
        return log.plus(indexes());
    }
}
