package io.archiveguardian.guardian.retention;

import com.fasterxml.jackson.annotation.JsonValue;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;

/** Where an effective topic config value comes from, in Kafka's order of precedence. */
public enum ValueSource {
    TOPIC_OVERRIDE("topic override"),
    DYNAMIC_BROKER("dynamic per-broker config"),
    DYNAMIC_BROKER_DEFAULT("dynamic cluster-wide broker default"),
    STATIC_BROKER("static broker config"),
    KAFKA_DEFAULT("Kafka default"),
    UNKNOWN("unknown source");

    private final String label;

    ValueSource(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** True when the value is inherited from the brokers (or Kafka), not set on the topic. */
    public boolean inherited() {
        return this != TOPIC_OVERRIDE;
    }

    static ValueSource of(ConfigSource source) {
        if (source == null) {
            return UNKNOWN;
        }
        return switch (source) {
            case DYNAMIC_TOPIC_CONFIG -> TOPIC_OVERRIDE;
            case DYNAMIC_BROKER_CONFIG -> DYNAMIC_BROKER;
            case DYNAMIC_DEFAULT_BROKER_CONFIG -> DYNAMIC_BROKER_DEFAULT;
            case STATIC_BROKER_CONFIG -> STATIC_BROKER;
            case DEFAULT_CONFIG -> KAFKA_DEFAULT;
            default -> UNKNOWN;
        };
    }
}
