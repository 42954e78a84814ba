package io.archiveguardian.guardian.retention;

/**
 * One effective value of a topic config and where it comes from.
 *
 * @param value     the effective value as the topic sees it (milliseconds or bytes)
 * @param source    where it comes from
 * @param definedBy the key and raw value that supply it, e.g. {@code log.retention.hours=168};
 *                  for a topic override the topic key itself
 */
public record RetentionValue(long value, ValueSource source, String definedBy) {

    public static final long INFINITE = -1L;

    public boolean infinite() {
        return value == INFINITE;
    }

    /** True when this value is a topic override of -1: inheritance can no longer change it. */
    public boolean pinnedInfinite() {
        return infinite() && source == ValueSource.TOPIC_OVERRIDE;
    }

    /** For operators: {@code 604800000 (Kafka default: log.retention.hours=168)}. */
    public String describe() {
        String base = value + " (" + source.label();
        if (source != ValueSource.TOPIC_OVERRIDE && definedBy != null && !definedBy.isEmpty()) {
            base += ": " + definedBy;
        }
        return base + ")";
    }
}
