package io.archiveguardian.guardian.replicas;

import org.apache.kafka.common.TopicPartition;

/**
 * One replica directory in a log dir.
 *
 * @param bytes  its size as Kafka reports it (segment bytes, no indexes): a drop frees at least this
 * @param future whether it is the future copy of an alter-log-dirs move
 */
public record ReplicaOnDisk(TopicPartition partition, long bytes, boolean future) {

    public static ReplicaOnDisk of(String topic, int partition, long bytes) {
        return new ReplicaOnDisk(new TopicPartition(topic, partition), bytes, false);
    }
}
