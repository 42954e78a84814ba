package io.archiveguardian.guardian.move;

import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The move step's part of the status report ({@code move} in {@code /api/v1/status}): whether it is on,
 * what the last round found, the broker's copy throttle, the moves in flight and the last ones that
 * ended, and where the broker says its replicas are (per log dir, as {@code kafka-log-dirs.sh
 * --describe} counts them).
 *
 * @param throttle the broker's {@code replica.alter.log.dirs.io.max.bytes.per.second} as last read, in words
 */
public record MoveReport(boolean enabled, Instant decidedAt, String state, String detail, long budgetBytes,
                         String throttle, List<MoveRecord> inFlight, List<MoveRecord> recent,
                         List<LogDirReplicas> logDirs) implements StatusPart {

    public MoveReport {
        inFlight = List.copyOf(inFlight);
        recent = List.copyOf(recent);
        logDirs = List.copyOf(logDirs);
    }

    /**
     * One move the guardian asked for.
     *
     * @param outcome {@code moving}, {@code completed} (the broker reports the replica in {@code to}, no
     *                future left), {@code refused} (alterReplicaLogDirs failed) or {@code abandoned} (the
     *                future replica went away and the replica is not in {@code to})
     */
    public record MoveRecord(String partition, String from, String to, long bytes, Instant requestedAt, Instant endedAt,
                             String outcome, String detail) {
    }

    /** One log dir as the broker reported it in the last round. */
    public record LogDirReplicas(String logDir, String mount, boolean online, boolean cordoned, int replicas,
                                 long replicaBytes, int futureReplicas, List<String> partitions) {

        public LogDirReplicas {
            partitions = List.copyOf(partitions);
        }
    }

    @Override
    public String statusKey() {
        return "move";
    }

    @Override
    public List<String> statusLines() {
        List<String> lines = new ArrayList<>();
        lines.add("Replica moves between the broker's log dirs (JBOD): " + (enabled ? "on (move.enabled=true), budget "
                + Sizes.human(budgetBytes) + ", copy throttle " + throttle : "off (move.enabled=false)"));
        lines.add("Last round: " + state + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        for (MoveRecord m : inFlight) {
            lines.add("Moving " + m.partition() + " " + m.from() + " -> " + m.to() + " (" + Sizes.human(m.bytes())
                    + "), asked at " + m.requestedAt());
        }
        for (MoveRecord m : recent.subList(Math.max(0, recent.size() - 5), recent.size())) {
            lines.add("Moved " + m.partition() + " " + m.from() + " -> " + m.to() + " (" + Sizes.human(m.bytes()) + "): "
                    + m.outcome() + (m.endedAt() == null ? "" : " at " + m.endedAt())
                    + (m.detail() == null ? "" : ", " + m.detail()));
        }
        for (LogDirReplicas d : logDirs) {
            lines.add("Log dir " + d.logDir() + " on " + d.mount() + ": " + (d.online() ? "online" : "OFFLINE")
                    + (d.cordoned() ? ", cordoned" : "") + ", " + d.replicas() + " replicas (" + Sizes.human(d.replicaBytes())
                    + ")" + (d.futureReplicas() > 0 ? ", " + d.futureReplicas() + " arriving" : ""));
        }
        return lines;
    }
}
