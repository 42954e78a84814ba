package io.archiveguardian.guardian.replicas;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The text form of candidates and plans, for the operator on call. */
public final class DropText {

    private DropText() {
    }

    /** The summary and every replica with its verdict. */
    public static String candidates(DropCandidates c) {
        StringBuilder out = new StringBuilder();
        long safeCount = c.replicas().stream().filter(ReplicaVerdict::safe).count();
        out.append(String.format(Locale.ROOT, "%s: %d replicas, %d safe to drop (%s).%n", where(c),
                c.replicas().size(), safeCount, ByteSize.format(c.safeBytes())));
        out.append(summary(c.plan())).append(System.lineSeparator());
        Set<ReplicaVerdict> planned = new HashSet<>();
        c.plan().drops().forEach(d -> planned.add(d.replica()));
        if (!c.replicas().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-4s %10s  %-6s %s%n", "PLAN", "BYTES", "SAFE", "PARTITION  REASON"));
        }
        for (ReplicaVerdict v : c.replicas()) {
            out.append(String.format(Locale.ROOT, "%-4s %10s  %-6s %s  %s%n", planned.contains(v) ? "*" : "",
                    ByteSize.format(v.bytes()), v.safe() ? "safe" : "UNSAFE", v.partition(), v.reason()));
        }
        return out.toString();
    }

    /** The plan: each move with its reassignment and resulting replication factor. */
    public static String plan(DropCandidates c) {
        StringBuilder out = new StringBuilder();
        out.append("Drop plan for ").append(where(c)).append(System.lineSeparator());
        out.append(summary(c.plan())).append(System.lineSeparator());
        for (PlannedDrop d : c.plan().drops()) {
            out.append(String.format(Locale.ROOT, "  %-30s %10s  replicas %s -> %s  %s%n", d.replica().partition(),
                    ByteSize.format(d.replica().bytes()), d.currentReplicas(), d.newReplicas(), move(d)));
        }
        return out.toString();
    }

    static String summary(DropPlan plan) {
        int moves = plan.drops().size();
        if (plan.sufficient()) {
            return String.format(Locale.ROOT, "Need %s: the plan frees %s with %d move%s.", ByteSize.format(plan.needBytes()),
                    ByteSize.format(plan.plannedBytes()), moves, moves == 1 ? "" : "s");
        }
        return String.format(Locale.ROOT, "Need %s: the safe replicas free only %s with %d move%s, %s short.",
                ByteSize.format(plan.needBytes()), ByteSize.format(plan.plannedBytes()), moves, moves == 1 ? "" : "s",
                ByteSize.format(plan.shortfallBytes()));
    }

    private static String move(PlannedDrop d) {
        if (d.target().isPresent()) {
            return "new copy on broker " + d.target().getAsInt() + ", RF " + d.currentReplicationFactor()
                    + " -> " + d.resultingReplicationFactor();
        }
        return "no broker can hold a new copy: RF " + d.currentReplicationFactor() + " -> " + d.resultingReplicationFactor();
    }

    private static String where(DropCandidates c) {
        List<String> dirs = c.request().disks().stream().map(DiskRef::toString).toList();
        return String.join(", ", dirs);
    }
}
