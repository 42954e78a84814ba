package io.archiveguardian.guardian.drop;

import org.apache.kafka.common.TopicPartition;

/**
 * One replica directory in a log dir.
 *
 * @param bytes     its size as Kafka reports it (segment bytes, no indexes): a drop frees at least this
 * @param future    whether it is the future copy of an alter-log-dirs move
 * @param diskBytes what deleting the directory frees on the filesystem: every file in it (log,
 *                  indexes, snapshots), allocated blocks, when it was read from disk; else {@code bytes}
 */
public record ReplicaOnDisk(TopicPartition partition, long bytes, boolean future, long diskBytes) {

    /** A replica known only by Kafka's size: deleting it frees at least {@code bytes}. */
    public ReplicaOnDisk(TopicPartition partition, long bytes, boolean future) {
        this(partition, bytes, future, bytes);
    }

    public static ReplicaOnDisk of(String topic, int partition, long bytes) {
        return new ReplicaOnDisk(new TopicPartition(topic, partition), bytes, false);
    }
}
