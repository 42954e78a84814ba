package io.archiveguardian.guardian.retention;

/** One planned topic config change: {@code key} from its current value to {@code newValue}. */
public record ConfigChange(String key, RetentionValue current, long newValue) {

    public String describe() {
        return key + ": " + current.describe() + " -> " + newValue + " (topic override)";
    }
}
