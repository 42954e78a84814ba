package io.archiveguardian.guardian.logdir;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A parsed {@code recovery-point-offset-checkpoint} or {@code log-start-offset-checkpoint}:
 * a version line ({@code 0}), a count line, then {@code topic partition offset} lines.
 *
 * @param offsets by {@code topic-N}; empty unless the status is {@link Status#OK}
 * @param detail  why the file is missing or not usable; empty when OK
 */
public record OffsetCheckpoint(Status status, Map<String, Long> offsets, String detail) {

    public enum Status {
        OK,
        /** No such file: the broker treats every partition as starting from offset 0. */
        MISSING,
        /** Unparsable: the broker recovers the whole log dir from offset 0. */
        CORRUPT,
        /** The file exists but could not be read. */
        UNREADABLE
    }

    public OffsetCheckpoint {
        offsets = Map.copyOf(offsets);
    }

    public static OffsetCheckpoint missing(String detail) {
        return new OffsetCheckpoint(Status.MISSING, Map.of(), detail);
    }

    public static OffsetCheckpoint unreadable(String detail) {
        return new OffsetCheckpoint(Status.UNREADABLE, Map.of(), detail);
    }

    /** Parses the content of a checkpoint file; never throws, a bad file is {@link Status#CORRUPT}. */
    public static OffsetCheckpoint parse(String content) {
        String[] lines = content.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        if (n < 2) {
            return corrupt("expected a version line and a count line, found " + n + " line(s)");
        }
        if (!lines[0].trim().equals("0")) {
            return corrupt("unsupported version '" + lines[0].trim() + "' (expected 0)");
        }
        int expected;
        try {
            expected = Integer.parseInt(lines[1].trim());
        } catch (NumberFormatException e) {
            return corrupt("count line '" + lines[1].trim() + "' is not a number");
        }
        if (expected != n - 2) {
            return corrupt("count line says " + expected + " entries, found " + (n - 2));
        }
        Map<String, Long> offsets = new TreeMap<>();
        for (int i = 2; i < n; i++) {
            String[] parts = lines[i].trim().split(" ");
            if (parts.length != 3) {
                return corrupt("line " + (i + 1) + " '" + lines[i] + "' is not 'topic partition offset'");
            }
            try {
                int partition = Integer.parseInt(parts[1]);
                long offset = Long.parseLong(parts[2]);
                offsets.put(parts[0] + "-" + partition, offset);
            } catch (NumberFormatException e) {
                return corrupt("line " + (i + 1) + " '" + lines[i] + "' has a non-numeric partition or offset");
            }
        }
        return new OffsetCheckpoint(Status.OK, offsets, "");
    }

    private static OffsetCheckpoint corrupt(String detail) {
        return new OffsetCheckpoint(Status.CORRUPT, Map.of(), detail);
    }

    /** The offset for {@code topic-N}, if the file is OK and has an entry for it. */
    public OptionalLong offset(String topicPartition) {
        Long offset = offsets.get(topicPartition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
