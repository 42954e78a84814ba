package io.archiveguardian.guardian.replicas;

import java.util.List;

/** The replicas chosen to free {@code needBytes}, fewest moves first. */
public record DropPlan(long needBytes, List<PlannedDrop> drops) {

    public DropPlan {
        drops = List.copyOf(drops);
    }

    public long plannedBytes() {
        return drops.stream().mapToLong(d -> d.replica().bytes()).sum();
    }

    /** Whether carrying out the plan frees at least {@code needBytes}. */
    public boolean sufficient() {
        return plannedBytes() >= needBytes;
    }

    public long shortfallBytes() {
        return Math.max(0, needBytes - plannedBytes());
    }
}
