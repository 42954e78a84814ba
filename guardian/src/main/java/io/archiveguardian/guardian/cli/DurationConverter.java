package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.text.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter for duration options ({@code --outage 2h}), with the option's range: a bad
 * value is a usage error (exit 2) naming it and the range, and any hint it gives is itself in range.
 * One subclass per range (picocli builds converters from their class).
 */
abstract class DurationConverter implements ITypeConverter<Duration> {

    private final Duration min;
    private final Duration max;
    private final String examples;

    DurationConverter(Duration min, Duration max, String examples) {
        this.min = min;
        this.max = max;
        this.examples = examples;
    }

    /** "from 1m to 365d (90m, 2h, 1d)": what every refusal of this option says is allowed. */
    String range() {
        return "from " + Durations.exact(min) + " to " + Durations.exact(max) + " (" + examples + ")";
    }

    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = Durations.parse(value, min, max);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage() + "; allowed: " + range());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new TypeConversionException("'" + value + "' is outside what is allowed: " + range());
        }
        return d;
    }

    /** --outage: as recovery.outage.ms allows. */
    static final class Outage extends DurationConverter {
        Outage() {
            super(BallastRecommendCommand.MIN_OUTAGE, BallastRecommendCommand.MAX_OUTAGE, "90m, 2h, 1d");
        }
    }

    /** --sample: long enough to see writes, short enough to wait for. */
    static final class Sample extends DurationConverter {
        Sample() {
            super(Duration.ofSeconds(1), Duration.ofHours(1), "10s, 2m");
        }
    }
}
