package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The operator's cordon commands ({@code guardian cordon status|add|remove}): who cordoned each log
 * dir, and the rules for cordoning and lifting by hand. A cordon the guardian did not set is lifted
 * only with --force; one set through {@code cordoned.log.dirs=*} is not split; a cluster whose
 * metadata.version predates KIP-1066 is refused before anything changes. The CLI prints.
 */
public final class ManualCordon {

    private ManualCordon() {
    }

    /** Each of {@code dirs}: cordoned or not, and by whom (the guardian, per its record, or an operator). */
    public static List<LogDirCordon> rows(CurrentCordons current, CordonRecord record, List<String> dirs) {
        List<LogDirCordon> rows = new ArrayList<>();
        for (String dir : dirs) {
            boolean cordoned = current.covers(dir);
            var ours = record.entry(dir).filter(e -> current.lists(dir));
            rows.add(new LogDirCordon(dir, cordoned, !cordoned ? null : ours.isPresent() ? LogDirCordon.GUARDIAN
                    : LogDirCordon.OPERATOR, ours.map(CordonRecord.Entry::since).orElse(null), null, null,
                    ours.map(CordonRecord.Entry::reason).orElse(null)));
        }
        return rows;
    }

    /**
     * Cordons those of {@code dirs} that {@code current} does not cover yet, by hand.
     *
     * @return the log dirs cordoned now; empty when every one already was (nothing changed)
     */
    public static List<String> add(CordonAdmin kafka, CordonSettings settings, CurrentCordons current, List<String> dirs) {
        List<String> toAdd = dirs.stream().filter(d -> !current.covers(d)).toList();
        if (toAdd.isEmpty()) {
            return toAdd;
        }
        requireSupported(kafka);
        CordonAlter.add(toAdd.stream().map(settings::kafkaName).toList(), current).ifPresent(kafka::alter);
        return toAdd;
    }

    /**
     * Lifts the cordon of those of {@code dirs} that {@code cordoned.log.dirs} lists, and forgets the
     * guardian's record of them. Exit 3, nothing changed, for a log dir cordoned through {@code *},
     * or cordoned by hand without {@code force}.
     *
     * @return the log dirs lifted; empty when none was cordoned (nothing changed)
     */
    public static List<String> remove(CordonAdmin kafka, CordonRecordStore store, CordonSettings settings, int brokerId,
                                      CurrentCordons current, List<String> dirs, boolean force) {
        CordonRecord record = store.read();
        List<String> viaAll = dirs.stream().filter(d -> current.all() && !current.lists(d)).toList();
        if (!viaAll.isEmpty()) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "log dir " + String.join(", ", viaAll) + " is cordoned "
                    + "through cordoned.log.dirs=* (every log dir, set by hand), which this command does not split. "
                    + "Lift it with: kafka-configs.sh --bootstrap-server <server> --alter --entity-type brokers "
                    + "--entity-name " + brokerId + " --delete-config cordoned.log.dirs. Nothing was changed.");
        }
        List<String> listed = dirs.stream().filter(current::lists).toList();
        List<String> foreign = listed.stream().filter(d -> !record.dirs().contains(d)).toList();
        if (!foreign.isEmpty() && !force) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "log dir " + String.join(", ", foreign) + " was cordoned "
                    + "by hand, not by the guardian; lifting it may undo an operator's decision. Add --force to lift "
                    + "it anyway. Nothing was changed.");
        }
        if (listed.isEmpty()) {
            return listed;
        }
        CordonAlter.remove(listed.stream().map(settings::kafkaName).toList(), current).ifPresent(kafka::alter);
        store.update(r -> {
            CordonRecord next = r;
            for (String d : listed) {
                next = next.without(d);
            }
            return next;
        });
        return listed;
    }

    /** Exit 1, nothing changed, when the cluster's metadata.version cannot cordon log dirs. */
    static void requireSupported(CordonAdmin kafka) {
        OptionalInt mv = kafka.metadataVersionLevel();
        if (mv.isPresent() && mv.getAsInt() < CordonAdmin.CORDON_METADATA_LEVEL) {
            throw new GuardianException(ExitCodes.FAILED, "this cluster cannot cordon log dirs: metadata.version is at "
                    + "feature level " + mv.getAsInt() + ", cordoning needs " + CordonAdmin.CORDON_METADATA_VERSION
                    + " (level " + CordonAdmin.CORDON_METADATA_LEVEL + ") or later (kafka-features.sh upgrade --metadata 4.3). "
                    + "Nothing was changed.");
        }
    }
}
