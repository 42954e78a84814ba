package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.disk.Forecast;
import java.time.Duration;
import java.util.Locale;

/**
 * A filesystem's growth and time-to-full as the status API shows it, durations in seconds.
 *
 * @param trend              {@code filling}, {@code not-filling}, {@code full} or {@code insufficient-data}
 * @param timeToFullSeconds  present only when filling (and 0 when full): never negative or absurd
 * @param timeToFullWithBallastReleasedSeconds present only when filling: if all ballast were released
 */
public record ForecastView(String trend, double bytesPerSecond, Double timeToFullSeconds,
                           Double timeToFullWithBallastReleasedSeconds, int samples, double spanSeconds, String detail) {

    static ForecastView of(Forecast f) {
        return new ForecastView(f.trend().name().toLowerCase(Locale.ROOT).replace('_', '-'), f.bytesPerSecond(),
                f.timeToFull().map(ForecastView::seconds).orElse(null),
                f.timeToFullWithBallastReleased().map(ForecastView::seconds).orElse(null),
                f.samples(), seconds(f.span()), f.detail());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
