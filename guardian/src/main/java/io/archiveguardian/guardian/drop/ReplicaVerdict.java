package io.archiveguardian.guardian.drop;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether one replica may be dropped, and why.
 *
 * @param safeCopies    the other brokers whose copies make it safe (or that remain healthy when not)
 * @param headroomBytes the least usable bytes among the log dirs of {@code safeCopies}; 0 when none
 * @param reason        when unsafe, exactly the condition that failed; when safe, what holds
 * @param diskBytes     what deleting the local copy frees on the filesystem (see {@link ReplicaOnDisk#diskBytes()})
 */
public record ReplicaVerdict(
        TopicPartition partition,
        int broker,
        String logDir,
        long bytes,
        boolean safe,
        String reason,
        List<Integer> safeCopies,
        long headroomBytes,
        long diskBytes) {

    public ReplicaVerdict {
        safeCopies = List.copyOf(safeCopies);
    }

    /** A verdict on a replica known only by Kafka's size. */
    public ReplicaVerdict(TopicPartition partition, int broker, String logDir, long bytes, boolean safe, String reason,
                          List<Integer> safeCopies, long headroomBytes) {
        this(partition, broker, logDir, bytes, safe, reason, safeCopies, headroomBytes, bytes);
    }

    public String topic() {
        return partition.topic();
    }

    public int partitionId() {
        return partition.partition();
    }
}
