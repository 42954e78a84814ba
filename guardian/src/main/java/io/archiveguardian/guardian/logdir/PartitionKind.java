package io.archiveguardian.guardian.logdir;

/** What a subdirectory of a log dir is, from its name alone (the way the broker parses it). */
public enum PartitionKind {
    /** {@code topic-N}: a live partition replica. */
    PARTITION,
    /** {@code __cluster_metadata-0}: the KRaft metadata log, a partition of its own. */
    METADATA,
    /** {@code topic-N.<uuid>-delete}: a replica the broker is deleting. */
    DELETE,
    /** {@code topic-N.<uuid>-future}: the target of an alter-log-dirs move. */
    FUTURE,
    /** {@code topic-N.<uuid>-stray}: a replica the broker found it should not host. */
    STRAY,
    /**
     * Any other directory. The broker parses every subdirectory as a partition and refuses to
     * start on one it cannot parse, so this is worth reporting.
     */
    UNRECOGNIZED;

    /** Special directories are reported apart from the live partitions. */
    public boolean special() {
        return this != PARTITION && this != METADATA;
    }
}
