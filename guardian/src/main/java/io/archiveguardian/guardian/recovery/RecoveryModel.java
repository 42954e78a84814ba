package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.text.Sizes;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: the space the next start needs on one filesystem (KAFKA-FACTS, "What recovery does and
 * needs"). Parts:
 * <ul>
 * <li><b>local recovery</b> (only after an unclean stop): every unflushed segment gets its offset and
 * time index rebuilt and a producer snapshot written. On a sparse filesystem the index costs the
 * entries written; otherwise each recovery thread holds two fully preallocated indexes at a time.</li>
 * <li><b>catch-up</b>: what the leaders have that the local log lacks, plus its index entries and
 * one snapshot per segment it will roll.</li>
 * <li><b>start-up writes</b>: checkpoint files rewritten through a temp copy; on a filesystem without
 * sparse files, the active segment of every partition reopened with full-size indexes after a
 * clean stop trimmed them.</li>
 * <li><b>margin</b>: a share of the rest, at least a floor (the smaller of
 * {@code recovery.margin.min.bytes} and 2% of the filesystem, see {@link RecoveryParameters#marginFloor}).</li>
 * </ul>
 */
public final class RecoveryModel {

    private RecoveryModel() {
    }

    public static RecoveryNeed need(String mount, boolean recoveryPending, LocalLogs logs,
                                    CatchUp catchUp, RecoveryParameters p) {
        List<String> why = new ArrayList<>();
        long local = 0;
        int partitions = logs.partitions();
        if (recoveryPending) {
            long unflushedBytes = logs.unflushedLogBytes();
            long unflushedSegments = logs.unflushedSegments();
            long index = p.sparseIndexes()
                    ? p.roundUpToBlock(p.indexEntryBytes(unflushedBytes)) + 2L * unflushedSegments * p.blockBytes()
                    : Math.min(unflushedSegments, (long) p.recoveryThreads()) * 2L * p.indexMaxBytes();
            long snapshots = unflushedSegments * p.blockBytes();
            local = index + snapshots;
            why.add(String.format("local recovery: %d unflushed segments (%s of log) in %d partitions -> indexes %s%s + producer snapshots %s",
                    unflushedSegments, Sizes.human(unflushedBytes), partitions, Sizes.human(index),
                    p.sparseIndexes() ? " (sparse: entries only)" : " (not sparse: " + p.recoveryThreads() + " threads x 2 full indexes)",
                    Sizes.human(snapshots)));
        } else {
            why.add("local recovery: none, the last stop was clean");
        }

        long catchUpLog = catchUp.bytes();
        long rolled = p.segmentBytes() <= 0 ? 0 : catchUpLog / p.segmentBytes() + (catchUpLog > 0 ? 1 : 0);
        long catchUpTotal = catchUpLog == 0 ? 0
                : catchUpLog + p.roundUpToBlock(p.indexEntryBytes(catchUpLog)) + rolled * 3 * p.blockBytes();
        why.add("catch-up (" + catchUp.source().name().toLowerCase() + "): " + Sizes.human(catchUpTotal) + " - " + catchUp.detail());

        long checkpoints = 4 * 2 * p.roundUpToBlock(Math.max(1, partitions * 48L));
        long preallocation = p.sparseIndexes() || recoveryPending ? 0 : partitions * 2L * p.indexMaxBytes();
        long startup = checkpoints + preallocation;
        why.add("start-up writes: checkpoints " + Sizes.human(checkpoints)
                + (preallocation > 0 ? ", full-size active indexes " + Sizes.human(preallocation) : ""));

        long subtotal = local + catchUpTotal + startup;
        long margin = Math.max(p.marginMinBytes(), (long) Math.ceil(subtotal * p.marginRatio()));
        why.add(String.format("margin: %s (%.0f%% of %s, at least %s)", Sizes.human(margin), p.marginRatio() * 100,
                Sizes.human(subtotal), Sizes.human(p.marginMinBytes())));
        return new RecoveryNeed(mount, recoveryPending, local, catchUpTotal, catchUp.source(), startup, margin,
                subtotal + margin, why);
    }
}
