package io.archiveguardian.guardian.drop;

import org.apache.kafka.common.TopicPartition;

/**
 * A map key for partitions. {@link TopicPartition#hashCode()} is {@code 31 * partition + topic hash},
 * which collides heavily for topics named alike ({@code events-1}, {@code events-2}, ...); with
 * 100,000 partitions the hash buckets degenerate and lookups cost seconds. This key multiplies the
 * topic hash by a large odd constant first.
 */
record PartitionKey(String topic, int partition) {

    static PartitionKey of(TopicPartition tp) {
        return new PartitionKey(tp.topic(), tp.partition());
    }

    @Override
    public int hashCode() {
        int h = topic.hashCode() * 0x9E3779B1 + partition;
        return h ^ (h >>> 15);
    }
}
