package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.events.StateChangeEvent;
import java.util.List;

/**
 * What {@code /api/v1/status} and {@code guardian status --output json} return: the last pass and
 * the most recent events (newest last).
 */
public record StatusReport(String guardianVersion, Observation observation, List<StateChangeEvent> recentEvents) {

    public StatusReport {
        recentEvents = List.copyOf(recentEvents);
    }

    public static String version() {
        String v = StatusReport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
