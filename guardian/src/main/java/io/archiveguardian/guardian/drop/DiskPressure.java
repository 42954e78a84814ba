package io.archiveguardian.guardian.drop;

/**
 * What the planner knows about a log dir's disk pressure: from Kafka's {@code describeLogDirs}
 * totals (KIP-827) at the guardian's thresholds, or from the cluster view's reports. Only
 * {@link #CRITICAL} changes a verdict; {@link #UNKNOWN} (no totals, no report) is not held against a copy.
 */
public enum DiskPressure {
    UNKNOWN, NORMAL, CRITICAL;

    /** The worse of two: critical over normal over unknown. */
    public static DiskPressure worse(DiskPressure a, DiskPressure b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
