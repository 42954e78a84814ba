package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.text.Durations;
import java.time.Duration;

/**
 * How growth is fitted.
 *
 * @param window     samples older than this are ignored (node-mixin uses 6 h)
 * @param minSpan    a fit needs samples spanning at least this long
 * @param horizon    a filesystem that would take longer than this to fill is "not filling"
 * @param dropRatio  a fall in used bytes larger than this share of the filesystem between two
 *                   samples (a deletion, a replica dropped) starts the fit afresh after it
 */
public record ForecastSettings(Duration window, Duration minSpan, Duration horizon, double dropRatio) {

    public static final ForecastSettings DEFAULTS = new ForecastSettings(Duration.ofHours(6), Duration.ofMinutes(5),
            Duration.ofDays(365), 0.01);

    public ForecastSettings {
        if (window.isNegative() || window.isZero() || minSpan.isNegative() || minSpan.compareTo(window) > 0) {
            throw new IllegalArgumentException("need 0 <= minSpan <= window and window > 0, got window="
                    + Durations.exact(window) + ", minSpan=" + Durations.exact(minSpan));
        }
        if (horizon.isNegative() || horizon.isZero() || dropRatio <= 0 || dropRatio >= 1) {
            throw new IllegalArgumentException("horizon must be positive and dropRatio in (0, 1), got "
                    + Durations.exact(horizon) + " and " + dropRatio);
        }
    }
}
