package io.archiveguardian.guardian.watch;

import java.util.List;

/**
 * One filesystem in one pass: its pressure (with hysteresis and ballast apart), its growth
 * forecast, and its recent usage (at most {@link WatchDuty#CHART_POINTS} points over
 * {@code forecast.window.ms}).
 */
public record DiskWatch(String mount, String device, List<String> logDirs, long totalBytes, long usableBytes,
                        long ballastBytes, PressureView pressure, ForecastView forecast, List<UsagePoint> history) {

    public DiskWatch {
        logDirs = List.copyOf(logDirs);
        history = List.copyOf(history);
    }
}
