package io.archiveguardian.guardian.logdir;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Base offset and {@code .log} bytes of every segment of one partition, in offset order, stored
 * compactly (two {@code long[]}; a broker may hold millions of segments). Immutable. The last
 * segment is the active one. Answers "what lies at or above the recovery point".
 */
public final class Segments {

    public static final Segments NONE = new Segments(new long[0], new long[0]);

    private final long[] baseOffsets;
    private final long[] logBytes;

    private Segments(long[] baseOffsets, long[] logBytes) {
        this.baseOffsets = baseOffsets;
        this.logBytes = logBytes;
    }

    /** Copies and sorts the given pairs by base offset. */
    public static Segments of(long[] baseOffsets, long[] logBytes) {
        if (baseOffsets.length != logBytes.length) {
            throw new IllegalArgumentException("base offsets and sizes differ in length: "
                    + baseOffsets.length + " vs " + logBytes.length);
        }
        Integer[] order = new Integer[baseOffsets.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(baseOffsets[a], baseOffsets[b]));
        long[] offsets = new long[order.length];
        long[] sizes = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            offsets[i] = baseOffsets[order[i]];
            sizes[i] = logBytes[order[i]];
        }
        return new Segments(offsets, sizes);
    }

    public int count() {
        return baseOffsets.length;
    }

    public long baseOffset(int index) {
        return baseOffsets[index];
    }

    public long logBytes(int index) {
        return logBytes[index];
    }

    public OptionalLong activeBaseOffset() {
        return baseOffsets.length == 0 ? OptionalLong.empty() : OptionalLong.of(baseOffsets[baseOffsets.length - 1]);
    }

    public long totalLogBytes() {
        long sum = 0;
        for (long b : logBytes) {
            sum += b;
        }
        return sum;
    }

    /** The same segments with the active (last) segment's size replaced. */
    Segments withActiveLogBytes(long bytes) {
        if (baseOffsets.length == 0 || logBytes[logBytes.length - 1] == bytes) {
            return this;
        }
        long[] sizes = logBytes.clone();
        sizes[sizes.length - 1] = bytes;
        return new Segments(baseOffsets, sizes);
    }

    /**
     * Index of the first segment a recovery from {@code offset} reads: the segment that contains the
     * offset (the last one whose base offset is at or below it), or the first segment.
     */
    public int firstSegmentFrom(long offset) {
        int pos = Arrays.binarySearch(baseOffsets, offset);
        if (pos >= 0) {
            return pos;
        }
        int insertion = -pos - 1;
        return Math.max(0, insertion - 1);
    }

    /** Segments from the one containing {@code offset} to the end. */
    public int countFrom(long offset) {
        return baseOffsets.length == 0 ? 0 : baseOffsets.length - firstSegmentFrom(offset);
    }

    /** {@code .log} bytes from the segment containing {@code offset} to the end. */
    public long logBytesFrom(long offset) {
        long sum = 0;
        for (int i = baseOffsets.length == 0 ? 0 : firstSegmentFrom(offset); i < baseOffsets.length; i++) {
            sum += logBytes[i];
        }
        return sum;
    }

    /** What JSON shows of a partition's segments: counts and offsets, not every segment. */
    @JsonValue
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", count());
        summary.put("log_bytes", totalLogBytes());
        if (count() > 0) {
            summary.put("first_base_offset", baseOffsets[0]);
            summary.put("active_base_offset", baseOffsets[count() - 1]);
        }
        return summary;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segments other && Arrays.equals(baseOffsets, other.baseOffsets)
                && Arrays.equals(logBytes, other.logBytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(baseOffsets) + Arrays.hashCode(logBytes);
    }

    @Override
    public String toString() {
        return "Segments[count=" + count() + ", logBytes=" + totalLogBytes()
                + (count() == 0 ? "" : ", first=" + baseOffsets[0] + ", active=" + baseOffsets[count() - 1]) + "]";
    }
}
