package io.archiveguardian.guardian.drop.exec;

import java.util.List;

/** One partition directory moved to the trash, with the replica sets before and after the drop. */
public record TrashEntry(String topic, int partition, long bytes, List<Integer> previousReplicas, List<Integer> newReplicas) {

    public TrashEntry {
        previousReplicas = List.copyOf(previousReplicas);
        newReplicas = List.copyOf(newReplicas);
    }

    public String directoryName() {
        return topic + "-" + partition;
    }
}
