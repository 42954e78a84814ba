package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.logdir.LogDirScan;
import java.util.Collection;

/**
 * What the recovery model needs from the local logs on one filesystem: how many partitions, and
 * the {@code .log} bytes and segments an unclean start re-reads (from each partition's recovery
 * point; see {@link LogDirScan#logBytesFromRecoveryPoints()}).
 */
public record LocalLogs(int partitions, long unflushedLogBytes, long unflushedSegments) {

    public static final LocalLogs NONE = new LocalLogs(0, 0, 0);

    public static LocalLogs of(Collection<LogDirScan> scans) {
        int partitions = 0;
        long bytes = 0;
        long segments = 0;
        for (LogDirScan scan : scans) {
            if (!scan.ok()) {
                continue;
            }
            partitions += scan.partitions().size();
            bytes += scan.logBytesFromRecoveryPoints();
            segments += scan.segmentsFromRecoveryPoints();
        }
        return new LocalLogs(partitions, bytes, segments);
    }
}
