package io.archiveguardian.guardian.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** The outage in seconds, for JSON ({@code outage_seconds}; {@code outage} stays ISO-8601 for old readers). */
    @JsonProperty
    public long outageSeconds() {
        return outage.toSeconds();
    }

    public static BallastRecommendation of(String mount, List<String> logDirs, double rate, String rateSource,
                                           Duration outage, LocalLogs logs, RecoveryParameters params,
                                           long filesystemTotalBytes, long armedBytes) {
        long catchUp = (long) Math.ceil(rate * outage.toMillis() / 1000.0);
        RecoveryNeed need = RecoveryModel.need(mount, true, logs, new CatchUp(catchUp, CatchUp.Source.ESTIMATE,
                String.format(Locale.ROOT, "%s/s (%s) x %s outage", Sizes.human((long) rate), rateSource, Durations.human(outage))), params);
        long mib = 1024L * 1024;
        long recommended = (need.totalBytes() + mib - 1) / mib * mib;
        return new BallastRecommendation(mount, logDirs, rate, rateSource, outage, need, recommended, filesystemTotalBytes, armedBytes);
    }

    /**
     * One recommendation per filesystem of {@code o}, as {@code guardian ballast recommend} prints
     * them. {@code rates}: write rate per log dir (bytes/s); with {@code onlyMeasured}, a filesystem
     * none of whose log dirs has a rate is left out.
     */
    public static List<BallastRecommendation> of(Observation o, Map<String, Double> rates, String rateSource,
                                                 Duration outage, GuardianSettings settings,
                                                 List<ReserveView> ballast, boolean onlyMeasured) {
        List<BallastRecommendation> out = new ArrayList<>();
        for (FilesystemObservation fs : o.filesystems()) {
            if (onlyMeasured && fs.logDirs().stream().noneMatch(rates::containsKey)) {
                continue;
            }
            List<LogDirScan> scans = o.logDirs().stream().filter(d -> fs.logDirs().contains(d.path()) && d.scan() != null)
                    .map(d -> d.scan()).toList();
            double rate = fs.logDirs().stream().mapToDouble(d -> rates.getOrDefault(d, 0.0)).sum();
            long armed = ballast.stream().filter(v -> v.logDirs().stream().anyMatch(fs.logDirs()::contains))
                    .mapToLong(ReserveView::armedBytes).sum();
            out.add(of(fs.mount(), fs.logDirs(), rate, rateSource, outage, LocalLogs.of(scans),
                    RecoveryParameters.of(settings, fs.usage()), fs.usage().totalBytes(), armed));
        }
        return out;
    }

    /**
     * For the running sidecar: the recommended bytes per log dir, for the filesystems whose write
     * rate it has measured, with the outage of {@code recovery.outage.ms}.
     */
    public static Map<String, Long> byLogDir(Observation o, Map<String, Double> measuredRates, GuardianSettings settings,
                                             List<ReserveView> ballast) {
        Duration outage = Duration.ofMillis(settings.config().getLong(GuardianConfig.RECOVERY_OUTAGE_MS));
        Map<String, Long> out = new LinkedHashMap<>();
        for (BallastRecommendation r : of(o, measuredRates, "measured by the sidecar", outage, settings, ballast, true)) {
            r.logDirs().forEach(d -> out.put(d, r.recommendedBytes()));
        }
        return out;
    }

    /** The line for the guardian's properties file. */
    public String configLine() {
        return "reserve.size=" + recommendedBytes / (1024 * 1024) + "M";
    }

    public double shareOfFilesystem() {
        return filesystemTotalBytes <= 0 ? 0 : (double) recommendedBytes / filesystemTotalBytes;
    }
}
