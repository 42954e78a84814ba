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

    /** As {@link #of(Collection)}, without the partitions a drop would remove from the broker. */
    public static LocalLogs of(Collection<LogDirScan> scans, java.util.Set<org.apache.kafka.common.TopicPartition> without) {
        if (without.isEmpty()) {
            return of(scans);
        }
        int partitions = 0;
        long bytes = 0;
        long segments = 0;
        for (LogDirScan scan : scans) {
            if (!scan.ok()) {
                continue;
            }
            for (io.archiveguardian.guardian.logdir.PartitionScan p : scan.partitions()) {
                if (without.contains(new org.apache.kafka.common.TopicPartition(p.name().topic(), p.name().partition()))) {
                    continue;
                }
                partitions++;
                bytes += scan.logBytesFromRecoveryPoint(p);
                segments += scan.segmentsFromRecoveryPoint(p);
            }
        }
        return new LocalLogs(partitions, bytes, segments);
    }

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
