package io.archiveguardian.reserve;

/**
 * A reserve location breaks a placement rule: it lies inside a Kafka log dir (Kafka parses every
 * subdirectory of a log dir as a partition and dies at start-up), or it is on another filesystem
 * than the log dir it protects (releasing it would free nothing there).
 */
public final class PlacementRefusedException extends ReserveException {

    /** The rule that was broken. */
    public enum Rule {
        INSIDE_LOG_DIR,
        DIFFERENT_FILESYSTEM,
        NOT_A_DIRECTORY
    }

    private final Rule rule;

    public PlacementRefusedException(Rule rule, String message) {
        super(message);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
