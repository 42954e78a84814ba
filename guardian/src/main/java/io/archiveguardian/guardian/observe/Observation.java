package io.archiveguardian.guardian.observe;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.events.SubjectState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one pass observed on this host. Immutable; the assess step and every report (metrics,
 * status API, {@code guardian status}) read from it.
 */
public record Observation(
        Instant time,
        String host,
        Integer nodeId,
        BrokerState brokerState,
        List<LogDirObservation> logDirs,
        List<FilesystemObservation> filesystems,
        double observeSeconds) {

    public Observation {
        logDirs = List.copyOf(logDirs);
        filesystems = List.copyOf(filesystems);
    }

    /** The states that raise events when they change. */
    public Map<String, SubjectState> subjectStates() {
        Map<String, SubjectState> states = new LinkedHashMap<>();
        String detail = logDirs.stream().map(l -> l.path() + ": " + l.broker().detail())
                .reduce((a, b) -> a + "; " + b).orElse("no log dirs");
        states.put("broker", new SubjectState(brokerState.name(), detail));
        for (LogDirObservation dir : logDirs) {
            states.put("logdir:" + dir.path(), new SubjectState(dir.online() ? "ONLINE" : "OFFLINE",
                    dir.online() ? "on " + dir.mount() : dir.error()));
        }
        return states;
    }
}
