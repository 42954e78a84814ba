package io.archiveguardian.guardian.replicas;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether one replica may be dropped, and why.
 *
 * @param safeCopies    the other brokers whose copies make it safe (or that remain healthy when not)
 * @param headroomBytes the least usable bytes among the log dirs of {@code safeCopies}; 0 when none
 * @param reason        when unsafe, exactly the condition that failed; when safe, what holds
 */
public record ReplicaVerdict(
        TopicPartition partition,
        int broker,
        String logDir,
        long bytes,
        boolean safe,
        String reason,
        List<Integer> safeCopies,
        long headroomBytes) {

    public ReplicaVerdict {
        safeCopies = List.copyOf(safeCopies);
    }

    public String topic() {
        return partition.topic();
    }

    public int partitionId() {
        return partition.partition();
    }
}
