package io.archiveguardian.guardian.retention;

import java.util.List;

/** A topic this sidecar set back to infinite retention, with the values it replaced. */
public record RetentionRepair(String topic, List<ConfigChange> changes) {

    public RetentionRepair {
        changes = List.copyOf(changes);
    }
}
