package io.archiveguardian.reserve;

/** The state of one tier. */
public enum TierState {
    /** The tier file exists with all its blocks allocated. */
    ARMED,
    /** The tier holds no space: it was released, or an arm of it failed or was interrupted and cleaned up. */
    RELEASED,
    /** An arm was started and not finished: the process died, or is still working. Cleaned up by the next operation. */
    ARMING
}
