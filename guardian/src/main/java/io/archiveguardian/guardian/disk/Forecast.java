package io.archiveguardian.guardian.disk;

import java.time.Duration;
import java.util.Optional;

/**
 * Growth of a filesystem and when it fills.
 *
 * @param bytesPerSecond   robust net growth of data bytes (ballast excluded): positive when FILLING, zero or
 *                         negative (shrinking) when NOT_FILLING, 0 for INSUFFICIENT_DATA and FULL
 * @param timeToFull       present only when {@link Trend#FILLING} (usable bytes / growth, never negative) and
 *                         zero when FULL; empty otherwise
 * @param timeToFullWithBallastReleased present only when FILLING: (usable + ballast) / growth
 * @param samples          samples the fit used (after the window and the last large drop)
 * @param span             time between the first and last of them
 */
public record Forecast(Trend trend, double bytesPerSecond, Optional<Duration> timeToFull,
                       Optional<Duration> timeToFullWithBallastReleased, int samples, Duration span, String detail) {

    public enum Trend {
        /** Too few samples, or spanning too short a time, for a fit. */
        INSUFFICIENT_DATA,
        /** Shrinking, flat, or growing too slowly to fill within the horizon. */
        NOT_FILLING,
        /** Growing: time-to-full is known. */
        FILLING,
        /** No usable bytes left. */
        FULL
    }
}
