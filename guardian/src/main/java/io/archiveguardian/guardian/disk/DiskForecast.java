package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Pure: growth rate and time-to-full of one filesystem from its recent {@link SpaceSample}s, by a
 * Theil–Sen fit of data bytes (used minus ballast, so arming or releasing ballast is no growth)
 * over the window, restarted after the last large drop.
 */
public final class DiskForecast {

    private DiskForecast() {
    }

    public static Forecast forecast(List<SpaceSample> samples, Instant now, ForecastSettings settings) {
        List<SpaceSample> window = Series.window(samples, SpaceSample::at, now, settings.window());
        if (window.isEmpty()) {
            return insufficient(0, Duration.ZERO, "no samples in the last " + Durations.human(settings.window()));
        }
        SpaceSample latest = window.get(window.size() - 1);
        Instant[] times = new Instant[window.size()];
        long[] data = new long[window.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = window.get(i).at();
            data[i] = window.get(i).dataBytes();
        }
        long dropBytes = Math.max(1, (long) (settings.dropRatio() * latest.totalBytes()));
        int from = Series.afterLastDrop(data, dropBytes);
        Series.Points points = Series.bucket(times, data, from);
        if (latest.usableBytes() == 0) {
            return new Forecast(Forecast.Trend.FULL, 0, Optional.of(Duration.ZERO), Optional.empty(),
                    data.length - from, points.span(), "no usable bytes left");
        }
        if (points.size() < 3 || points.span().compareTo(settings.minSpan()) < 0) {
            return insufficient(data.length - from, points.span(), "need 3 samples over at least " + Durations.human(settings.minSpan())
                    + (from > 0 ? " since the last drop of more than " + Sizes.human(dropBytes) : ""));
        }
        double rate = TheilSen.slope(points.seconds(), points.values());
        int used = data.length - from;
        if (!(rate > 0)) {
            return new Forecast(Forecast.Trend.NOT_FILLING, rate, Optional.empty(), Optional.empty(), used, points.span(),
                    rate == 0 ? "flat" : String.format(Locale.ROOT, "shrinking by %s/s", Sizes.human((long) -rate)));
        }
        double seconds = latest.usableBytes() / rate;
        if (seconds > settings.horizon().toSeconds()) {
            return new Forecast(Forecast.Trend.NOT_FILLING, rate, Optional.empty(), Optional.empty(), used, points.span(),
                    "growing too slowly to fill within " + Durations.human(settings.horizon()));
        }
        double withBallast = (latest.usableBytes() + latest.ballastBytes()) / rate;
        return new Forecast(Forecast.Trend.FILLING, rate, Optional.of(seconds(seconds)),
                Optional.of(seconds(withBallast)), used, points.span(),
                String.format(Locale.ROOT, "growing by %s/s", Sizes.human((long) rate)));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    }

    private static Forecast insufficient(int samples, Duration span, String detail) {
        return new Forecast(Forecast.Trend.INSUFFICIENT_DATA, 0, Optional.empty(), Optional.empty(), samples, span, detail);
    }
}
