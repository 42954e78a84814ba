package io.archiveguardian.guardian.drop;

/**
 * What the planner knows about a log dir's disk pressure. Only {@link #CRITICAL} changes a verdict;
 * {@link #UNKNOWN} (no sidecar report for that disk) is not held against a copy.
 */
public enum DiskPressure {
    UNKNOWN, NORMAL, CRITICAL
}
