package io.archiveguardian.guardian.disk;

import java.util.Locale;

/** Disk pressure of one filesystem, in increasing order of severity. */
public enum PressureLevel {
    OK, WARN, HIGH, CRITICAL;

    /** Lower-case name, as used in events, JSON and the {@code guardian_disk_pressure_level} metric's docs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level a {@link #label()} names; empty for anything else ("unknown" before a watch). */
    public static java.util.Optional<PressureLevel> ofLabel(String label) {
        for (PressureLevel l : values()) {
            if (l.label().equals(label)) {
                return java.util.Optional.of(l);
            }
        }
        return java.util.Optional.empty();
    }

    /** The numeric value exported as {@code guardian_disk_pressure_level}: 0 ok .. 3 critical. */
    public int severity() {
        return ordinal();
    }
}
