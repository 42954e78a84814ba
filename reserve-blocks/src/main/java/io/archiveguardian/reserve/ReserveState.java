package io.archiveguardian.reserve;

/** The state of a whole reserve. */
public enum ReserveState {
    /** No tiers have been planned on this filesystem. */
    ABSENT,
    /** Every tier is armed. */
    ARMED,
    /** Some tiers are armed, some released (or an arm is in progress). */
    PARTIAL,
    /** Every tier is released. */
    RELEASED
}
