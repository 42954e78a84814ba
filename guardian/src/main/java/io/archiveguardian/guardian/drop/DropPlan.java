package io.archiveguardian.guardian.drop;

import java.util.List;

/**
 * The replicas chosen to cover a need, fewest moves first.
 *
 * <p>Two kinds of need (docs/drop.md): {@link Basis#DISK_BYTES} — {@code guardian drop --need}:
 * replica bytes to give up; and {@link Basis#START_NEED} — {@code prestart}'s shortfall, covered
 * by what the drop saves at the next start plus, with {@code purge}, what deleting the local
 * copies frees on disk.
 *
 * @param needBytes                the bytes asked for ({@code --need}), or the start's shortfall
 * @param purge                    whether the plan deletes the local copies ({@code --purge}): only then
 *                                 is anything freed on disk, and there is no undo
 * @param savedAtStartBytes        what the next start needs less (START_NEED plans; else 0)
 * @param remainingShortfallBytes  START_NEED: what the start still lacks after the plan (0: it fits)
 * @param keepOnlyMoves            START_NEED: the moves a plan that keeps the local copies would need
 *                                 to cover the shortfall, -1 when no such plan covers it
 */
public record DropPlan(long needBytes, List<PlannedDrop> drops, Basis basis, boolean purge, long savedAtStartBytes,
                       long remainingShortfallBytes, int keepOnlyMoves) {

    /** What the plan was asked to cover. */
    public enum Basis { DISK_BYTES, START_NEED }

    public DropPlan {
        drops = List.copyOf(drops);
    }

    /** A plan for {@code needBytes} of replica bytes, local copies kept in the trash. */
    public DropPlan(long needBytes, List<PlannedDrop> drops) {
        this(needBytes, drops, Basis.DISK_BYTES, false, 0, 0, -1);
    }

    public DropPlan withPurge(boolean newPurge) {
        return new DropPlan(needBytes, drops, basis, newPurge, savedAtStartBytes, remainingShortfallBytes, keepOnlyMoves);
    }

    /** Kafka's size of the replicas (segment bytes). */
    public long plannedBytes() {
        return drops.stream().mapToLong(d -> d.replica().bytes()).sum();
    }

    /** What deleting the local copies frees on disk (log, indexes, snapshots). */
    public long diskBytesIfDeleted() {
        return drops.stream().mapToLong(d -> d.replica().diskBytes()).sum();
    }

    /** What the plan frees on disk when carried out: the local copies' bytes with purge, else nothing. */
    public long freedOnDiskBytes() {
        return purge ? diskBytesIfDeleted() : 0;
    }

    /** Whether carrying out the plan covers the need. */
    public boolean sufficient() {
        return basis == Basis.START_NEED ? remainingShortfallBytes <= 0 : plannedBytes() >= needBytes;
    }

    public long shortfallBytes() {
        return basis == Basis.START_NEED ? Math.max(0, remainingShortfallBytes) : Math.max(0, needBytes - plannedBytes());
    }
}
