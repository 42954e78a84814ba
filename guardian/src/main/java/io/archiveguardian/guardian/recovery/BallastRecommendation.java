package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Pure: the ballast one filesystem should hold so that a broker that was down for {@code outage}
 * can recover and catch up even on a full disk: the catch-up of that outage at the measured write
 * rate, plus an unclean start's local recovery, plus the margin. No peer sizes its reserve from
 * measurements; this is the point of the command.
 */
public record BallastRecommendation(String mount, List<String> logDirs, double writeBytesPerSecond, String rateSource,
                                    Duration outage, RecoveryNeed need, long recommendedBytes, long filesystemTotalBytes,
                                    long armedBytes) {

    public BallastRecommendation {
        logDirs = List.copyOf(logDirs);
    }

    public static BallastRecommendation of(String mount, List<String> logDirs, double rate, String rateSource,
                                           Duration outage, LocalLogs logs, RecoveryParameters params,
                                           long filesystemTotalBytes, long armedBytes) {
        long catchUp = (long) Math.ceil(rate * outage.toMillis() / 1000.0);
        RecoveryNeed need = RecoveryModel.need(mount, true, logs, new CatchUp(catchUp, CatchUp.Source.ESTIMATE,
                String.format(Locale.ROOT, "%s/s (%s) x %s outage", Sizes.human((long) rate), rateSource, human(outage))), params);
        long mib = 1024L * 1024;
        long recommended = (need.totalBytes() + mib - 1) / mib * mib;
        return new BallastRecommendation(mount, logDirs, rate, rateSource, outage, need, recommended, filesystemTotalBytes, armedBytes);
    }

    /** The line for the guardian's properties file. */
    public String configLine() {
        return "reserve.size=" + recommendedBytes / (1024 * 1024) + "M";
    }

    public double shareOfFilesystem() {
        return filesystemTotalBytes <= 0 ? 0 : (double) recommendedBytes / filesystemTotalBytes;
    }

    static String human(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        return h > 0 ? h + "h" + (m > 0 ? m + "m" : "") : d.toMinutes() + "m";
    }
}
