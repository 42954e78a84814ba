package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.logdir.FileSize;
import io.archiveguardian.guardian.logdir.LogDirTotals;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.util.Locale;

/** Short sentences about pressure, forecasts and log dir sizes, shared by {@code guardian status} and the status page. */
public final class WatchText {

    private WatchText() {
    }

    /** e.g. "warn: used 86.0% >= warn 85.0% ..." */
    public static String pressure(PressureView p) {
        String text = p.level() + ": " + p.reason();
        return p.ballastBytes() > 0 ? text + "; " + Sizes.human(p.ballastBytes()) + " ballast reclaimable ("
                + p.levelWithoutBallast() + " without it)" : text;
    }

    /** e.g. "full in 3d 4h at 1.2 MiB/s (3d 9h with ballast released)", "not filling (flat)". */
    public static String forecast(ForecastView f) {
        return switch (f.trend()) {
            case "filling" -> "full in " + Durations.human(f.timeToFullSeconds()) + " at " + rate(f.bytesPerSecond())
                    + (f.timeToFullWithBallastReleasedSeconds() != null
                    && !f.timeToFullWithBallastReleasedSeconds().equals(f.timeToFullSeconds())
                    ? " (" + Durations.human(f.timeToFullWithBallastReleasedSeconds()) + " with ballast released)" : "");
            case "not-filling" -> "not filling (" + f.detail() + ")";
            case "full" -> "full: no usable bytes left";
            default -> "not enough history for a forecast (" + f.detail() + ")";
        };
    }

    /** e.g. "write 1.0 MiB/s, index +5.0 KiB/s (0.49% of writes)", or why there is no rate yet. */
    public static String growth(GrowthView g) {
        if (g == null || !g.sufficient()) {
            return "not enough history for rates";
        }
        return "write " + rate(g.logBytesPerSecond()) + ", index +" + rate(g.indexAllocatedBytesPerSecond())
                + String.format(Locale.ROOT, " (%.2f%% of writes)", 100 * g.indexShareOfWrites());
    }

    /** e.g. "12 partitions, 340 segments, log 1.2 GiB, index 6.0 MiB allocated / 120.0 MiB apparent". */
    public static String totals(LogDirTotals t) {
        FileSize index = t.indexes();
        String text = t.partitions() + " partitions, " + t.segments() + " segments, log " + Sizes.human(t.log().apparentBytes())
                + ", index " + Sizes.human(index.allocatedBytes()) + " allocated / " + Sizes.human(index.apparentBytes())
                + " apparent";
        return t.specialDirectories() == 0 ? text : text + ", " + t.specialDirectories() + " special director"
                + (t.specialDirectories() == 1 ? "y " : "ies ") + Sizes.human(t.special().allocatedBytes());
    }

    public static String rate(double bytesPerSecond) {
        return Sizes.human(Math.round(bytesPerSecond)) + "/s";
    }
}
