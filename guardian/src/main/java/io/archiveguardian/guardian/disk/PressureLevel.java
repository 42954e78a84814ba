package io.archiveguardian.guardian.disk;

import java.util.Locale;

/** Disk pressure of one filesystem, in increasing order of severity. */
public enum PressureLevel {
    OK, WARN, HIGH, CRITICAL;

    /** Lower-case name, as used in events, JSON and the {@code guardian_disk_pressure_level} metric's docs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The numeric value exported as {@code guardian_disk_pressure_level}: 0 ok .. 3 critical. */
    public int severity() {
        return ordinal();
    }
}
