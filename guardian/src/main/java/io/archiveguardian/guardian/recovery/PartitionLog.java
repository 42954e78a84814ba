package io.archiveguardian.guardian.recovery;

import java.util.List;

/**
 * One partition's local log as the recovery model needs it: its segments (base offset and
 * {@code .log} bytes, ascending) and the recovery point from {@code recovery-point-offset-checkpoint}
 * (−1 when the checkpoint has no entry: Kafka then recovers from offset 0).
 */
public record PartitionLog(String topicPartition, List<Segment> segments, long recoveryPoint) {

    public PartitionLog {
        segments = List.copyOf(segments);
    }

    /** One segment: base offset and {@code .log} bytes. */
    public record Segment(long baseOffset, long logBytes) {
    }

    public long logBytes() {
        return segments.stream().mapToLong(Segment::logBytes).sum();
    }

    /**
     * The segments an unclean start recovers: Kafka's {@code LogLoader.recoverLog} takes every
     * segment holding offsets at or above the recovery point, i.e. the one containing it and all after.
     */
    public List<Segment> unflushed() {
        long point = Math.max(0, recoveryPoint);
        int first = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).baseOffset() <= point) {
                first = i;
            }
        }
        return segments.subList(first, segments.size());
    }
}
