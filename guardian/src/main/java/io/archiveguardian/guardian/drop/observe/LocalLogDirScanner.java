package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.DiskPressure;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;

import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirScanner;
import io.archiveguardian.guardian.logdir.PartitionKind;
import io.archiveguardian.guardian.logdir.PartitionScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the replicas of a log dir from disk, for a broker that is stopped (Kafka cannot describe its
 * log dirs then), with the shared {@link LogDirScanner}. A replica's bytes are its {@code .log}
 * segment bytes, as Kafka's own {@code describeLogDirs} counts them; deleting the directory frees
 * at least that much; its disk bytes are every file in the directory (allocated blocks where the
 * scanner can read them): what deleting it frees on the filesystem. Only live partitions count: not the metadata log, not {@code -delete},
 * {@code -future} or {@code -stray} directories.
 */
public final class LocalLogDirScanner {

    private LocalLogDirScanner() {
    }

    public static LogDirState scan(int broker, Path logDir) {
        LogDirScan scan = new LogDirScanner().scan(logDir);
        if (!scan.ok()) {
            throw new UncheckedIOException(new IOException("cannot read log dir " + logDir + ": " + scan.error().get()));
        }
        try {
            FileStore store = Files.getFileStore(logDir);
            List<ReplicaOnDisk> replicas = new ArrayList<>();
            for (PartitionScan p : scan.partitions()) {
                if (p.kind() == PartitionKind.PARTITION) {
                    replicas.add(new ReplicaOnDisk(new TopicPartition(p.name().topic(), p.name().partition()),
                            p.log().apparentBytes(), false, scan.allocatedKnown() ? p.total().allocatedBytes() : p.total().apparentBytes()));
                }
            }
            replicas.sort(java.util.Comparator.comparing(ReplicaOnDisk::partition,
                    java.util.Comparator.comparing(TopicPartition::toString)));
            return new LogDirState(broker, logDir.toString(), true, store.getUsableSpace(), store.getTotalSpace(),
                    DiskPressure.UNKNOWN, replicas);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log dir " + logDir + ": " + e.getMessage(), e);
        }
    }
}
