package io.archiveguardian.guardian.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure: the events between the subject states of two consecutive passes. */
public final class StateChanges {

    private StateChanges() {
    }

    /**
     * One event per subject whose state differs from the previous pass, including subjects that
     * are new (previous state {@code null}) and subjects that disappeared (state {@code GONE}).
     */
    public static List<StateChangeEvent> between(Map<String, SubjectState> previous, Map<String, SubjectState> current,
                                                 Instant time, String host, Integer broker) {
        List<StateChangeEvent> events = new ArrayList<>();
        for (Map.Entry<String, SubjectState> e : new TreeMap<>(current).entrySet()) {
            SubjectState before = previous.get(e.getKey());
            if (before == null || !before.state().equals(e.getValue().state())) {
                events.add(new StateChangeEvent(time, host, broker, e.getKey(),
                        before == null ? null : before.state(), e.getValue().state(), e.getValue().detail()));
            }
        }
        for (Map.Entry<String, SubjectState> e : new TreeMap<>(previous).entrySet()) {
            if (!current.containsKey(e.getKey())) {
                events.add(new StateChangeEvent(time, host, broker, e.getKey(), e.getValue().state(), "GONE",
                        "no longer observed"));
            }
        }
        return events;
    }
}
