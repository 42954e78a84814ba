package io.archiveguardian.guardian.drop;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What dropping replicas of the local broker does to its next start, so a plan can count both
 * effects of a drop (docs/drop.md, "Two effects"):
 * <ul>
 * <li><b>saved at the next start</b>: a partition no longer assigned to the broker is neither
 * recovered nor caught up, whether its local copy is kept in the trash or deleted;</li>
 * <li><b>freed on disk</b>: its log and index bytes, only when the local copy is deleted.</li>
 * </ul>
 * Implemented by the recovery guard (the same model {@code prestart} decides with), so a plan
 * that says "enough" is one that the next {@code prestart} accepts.
 */
public interface StartEffects {

    /** By how much the next start needs less space once these partitions are dropped. */
    long savedAtStartBytes(Set<TopicPartition> dropped);

    /**
     * What the start still lacks (0 when it fits, all ballast counted) after dropping these
     * partitions and freeing {@code freedOnDisk} bytes on the filesystems of these log dirs.
     */
    long shortfallBytes(Set<TopicPartition> dropped, Map<String, Long> freedOnDiskByLogDir);
}
