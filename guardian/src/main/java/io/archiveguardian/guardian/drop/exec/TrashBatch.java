package io.archiveguardian.guardian.drop.exec;

import java.util.List;

/** The partition directories one {@code drop --execute} moved out of one log dir (its {@code manifest.json}). */
public record TrashBatch(String id, String time, int broker, String logDir, List<TrashEntry> entries) {

    public TrashBatch {
        entries = List.copyOf(entries);
    }

    public long bytes() {
        return entries.stream().mapToLong(TrashEntry::bytes).sum();
    }
}
