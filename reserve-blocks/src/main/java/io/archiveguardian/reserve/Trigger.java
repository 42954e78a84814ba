package io.archiveguardian.reserve;

/** Why a reserve operation happened; recorded in the manifest and the audit log. */
public enum Trigger {
    /** An operator ran a command. */
    MANUAL,
    /** The pre-start hook freed space before the broker starts. */
    PRESTART,
    /** The broker stopped uncleanly, so its next start recovers logs and needs room. */
    UNCLEAN_SHUTDOWN,
    /** The running sidecar saw the disk reach critical pressure. */
    CRITICAL_PRESSURE,
    /** The running sidecar re-armed a tier because space came back. */
    SPACE_AVAILABLE,
    /** The guardian repaired its own state after a crash or an outside change. */
    RECOVERY;

    /** The lower-case, hyphenated name used in text output, audit lines and metric labels. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
