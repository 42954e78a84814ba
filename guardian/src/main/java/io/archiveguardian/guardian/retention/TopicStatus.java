package io.archiveguardian.guardian.retention;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict on one archive topic. */
public enum TopicStatus {
    /** retention.ms and retention.bytes are both -1: nothing is deleted by time or size. */
    INFINITE("infinite", false),
    /** A finite retention on a plain delete-policy topic: apply (or the sidecar's repair) fixes it. */
    DRIFT("drift", true),
    /** Finite, but on a topic whose settings need a human (tiered storage): explained, never rewritten. */
    REVIEW("review", true),
    /** No delete policy (compact only): retention settings delete nothing; explained, never rewritten. */
    COMPACTED("compacted", false);

    private final String label;
    private final boolean finite;

    TopicStatus(String label, boolean finite) {
        this.label = label;
        this.finite = finite;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** True when records of this topic can be deleted by retention: counts as drift (exit code 3). */
    public boolean finite() {
        return finite;
    }
}
