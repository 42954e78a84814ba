package io.archiveguardian.guardian.disk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure: turns pressure assessments into state-change events. */
public final class PressureEvents {

    /** The previous state of a filesystem seen for the first time. */
    public static final String UNKNOWN = "unknown";

    private PressureEvents() {
    }

    /**
     * One event per filesystem whose level changed. A filesystem seen for the first time yields an
     * event (from {@value #UNKNOWN}) only when it is not ok, so a restart of the sidecar is quiet
     * on healthy disks. Events are ordered by subject.
     *
     * @param firstSeen subjects observed for the first time in this pass
     */
    public static List<PressureChange> changes(Instant time, Map<String, PressureAssessment> bySubject,
                                               java.util.Set<String> firstSeen) {
        List<PressureChange> events = new ArrayList<>();
        for (Map.Entry<String, PressureAssessment> e : new TreeMap<>(bySubject).entrySet()) {
            PressureAssessment a = e.getValue();
            if (firstSeen.contains(e.getKey())) {
                if (a.level() != PressureLevel.OK) {
                    events.add(new PressureChange(time, e.getKey(), UNKNOWN, a.level().label(), a.reason()));
                }
            } else if (a.changed()) {
                events.add(new PressureChange(time, e.getKey(), a.previous().label(), a.level().label(), a.reason()));
            }
        }
        return events;
    }
}
