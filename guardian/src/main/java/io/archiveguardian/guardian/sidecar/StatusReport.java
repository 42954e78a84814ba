package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.retention.RetentionPass;
import java.util.List;

/**
 * What {@code /api/v1/status} and {@code guardian status --output json} return: the last pass and
 * the last retention check (null when no archive topics are configured or no cluster), and the
 * most recent events (newest last).
 */
public record StatusReport(String guardianVersion, Observation observation, RetentionPass retention,
                           List<StateChangeEvent> recentEvents) {

    public StatusReport {
        recentEvents = List.copyOf(recentEvents);
    }

    public static String version() {
        String v = StatusReport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
