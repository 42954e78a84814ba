package io.archiveguardian.guardian.broker;

/**
 * What the files in a log dir say about the local broker. Exported as
 * {@code guardian_broker_state} with the {@link #code()}.
 */
public enum BrokerState {
    /** A process holds the lock on {@code .lock}. */
    RUNNING(1),
    /** Not running; {@code .kafka_cleanshutdown} is present, so the next start is clean. */
    STOPPED_CLEAN(2),
    /** Not running; formatted but no clean-shutdown marker: the next start recovers the logs. */
    STOPPED_UNCLEAN(3),
    /** No {@code meta.properties}: the storage was never formatted. */
    NOT_FORMATTED(4),
    /** The log dir cannot be read (missing, permissions, I/O error). */
    UNKNOWN(0);

    private final int code;

    BrokerState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True when the next broker start will recover segments above the recovery point. */
    public boolean recoveryPending() {
        return this == STOPPED_UNCLEAN;
    }

    /**
     * Combines the states of several log dirs of one broker. Running anywhere means running; an
     * unclean dir means the start recovers; unknown beats clean, so an unreadable dir is not
     * hidden behind a clean one.
     */
    public static BrokerState combine(Iterable<BrokerState> states) {
        boolean any = false;
        boolean unclean = false;
        boolean unknown = false;
        boolean unformatted = false;
        for (BrokerState s : states) {
            any = true;
            switch (s) {
                case RUNNING -> {
                    return RUNNING;
                }
                case STOPPED_UNCLEAN -> unclean = true;
                case UNKNOWN -> unknown = true;
                case NOT_FORMATTED -> unformatted = true;
                default -> { }
            }
        }
        if (!any || unknown) {
            return unclean ? STOPPED_UNCLEAN : UNKNOWN;
        }
        if (unclean) {
            return STOPPED_UNCLEAN;
        }
        return unformatted ? NOT_FORMATTED : STOPPED_CLEAN;
    }
}
