package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.disk.DiskForecast;
import io.archiveguardian.guardian.disk.PressureAssessor;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.disk.Forecast;
import io.archiveguardian.guardian.disk.LogDirGrowth;
import io.archiveguardian.guardian.disk.LogDirSample;
import io.archiveguardian.guardian.disk.PressureAssessment;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.disk.SpaceSample;
import io.archiveguardian.guardian.disk.WatchSettings;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.logdir.LogDirTotals;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.text.Sizes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The watch step of each pass: keeps a bounded history of every filesystem's space and every log
 * dir's sizes, and turns each observation into a {@link WatchReport} with the pure assessments of
 * {@code disk}: pressure level with hysteresis (the previous level is kept here), growth forecast
 * and time-to-full, and per log dir the write and index growth rates. Updates the metrics and
 * gives the {@code disk:<mount>} states for events. Called from one thread; the report is immutable.
 * On a pass it adds each filesystem's {@link PressureLevel} (and the level before) and each log
 * dir's measured write rate to the facts.
 */
public final class WatchDuty implements Duty {

    /** Points of each filesystem's usage chart in the report. */
    public static final int CHART_POINTS = 60;

    private final WatchSettings settings;
    private volatile WatchMetrics metrics;
    private final Map<String, History<SpaceSample>> space = new HashMap<>();
    private final Map<String, History<LogDirSample>> logDirs = new HashMap<>();
    private final Map<String, PressureLevel> levels = new HashMap<>();
    private Map<String, PressureAssessment> assessed = Map.of();
    private volatile WatchReport latest;

    /** Bound to {@code registry} at once (tests and one-shot use). */
    public WatchDuty(WatchSettings settings, MeterRegistry registry) {
        this(settings);
        bindTo(registry);
    }

    /** Unbound: the sidecar binds its meters when it registers the duty. */
    public WatchDuty(WatchSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        metrics = new WatchMetrics(registry);
    }

    /** From the guardian's configuration; contradicting keys (warn above high, say) are exit code 2. */
    public static WatchDuty create(GuardianSettings settings, MeterRegistry registry) {
        WatchDuty duty = create(settings);
        duty.bindTo(registry);
        return duty;
    }

    /** As {@link #create(GuardianSettings, MeterRegistry)}, unbound. */
    public static WatchDuty create(GuardianSettings settings) {
        WatchSettings watch;
        try {
            watch = WatchSettings.from(settings.config());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage() + ". Correct the pressure.*, forecast.* or growth.* keys.", e);
        }
        return new WatchDuty(watch);
    }

    /**
     * Assesses the pass with the armed ballast the facts give per filesystem, and adds each
     * filesystem's pressure level and each log dir's measured write rate to them.
     */
    @Override
    public synchronized PassFacts onPass(PassFacts facts) {
        Map<String, Long> armed = new HashMap<>();
        facts.disks().forEach((mount, d) -> armed.put(mount, d.armedBallastBytes()));
        WatchReport report = update(facts.observation(), armed);
        PassFacts out = facts;
        for (Map.Entry<String, PressureAssessment> e : assessed.entrySet()) {
            PressureAssessment a = e.getValue();
            out = out.withDisk(e.getKey(), d -> d.withPressure(a.level(), a.previous(), a.reason()));
        }
        return out.withWriteRates(writeRates(report));
    }

    /** Measured write rate per log dir (bytes/s), where the growth window suffices. */
    static Map<String, Double> writeRates(WatchReport watched) {
        Map<String, Double> rates = new HashMap<>();
        for (LogDirWatch d : watched.logDirs()) {
            if (d.growth() != null && d.growth().sufficient()) {
                rates.put(d.path(), d.growth().logBytesPerSecond());
            }
        }
        return rates;
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return Optional.ofNullable(latest);
    }

    /**
     * Assesses one pass.
     *
     * @param armedBallastByMount armed ballast bytes per mount point (see {@link BallastByMount}); absent means none
     */
    public synchronized WatchReport update(Observation observation, Map<String, Long> armedBallastByMount) {
        Instant now = observation.time();
        List<DiskWatch> disks = new ArrayList<>();
        Map<String, PressureAssessment> pressures = new LinkedHashMap<>();
        for (FilesystemObservation fs : observation.filesystems()) {
            disks.add(disk(fs, armedBallastByMount.getOrDefault(fs.mount(), 0L), now, pressures));
        }
        assessed = Map.copyOf(pressures);
        List<LogDirWatch> dirs = new ArrayList<>();
        for (LogDirObservation dir : observation.logDirs()) {
            dirs.add(logDir(dir, now));
        }
        forgetOlderThan(now);
        WatchReport report = new WatchReport(now, disks, dirs);
        WatchMetrics m = metrics;
        if (m != null) {
            m.update(report, observation);
        }
        latest = report;
        return report;
    }

    private DiskWatch disk(FilesystemObservation fs, long ballast, Instant now, Map<String, PressureAssessment> pressures) {
        FilesystemUsage u = fs.usage();
        SpaceSample sample = new SpaceSample(now, u.totalBytes(), u.freeBytes(), u.usableBytes(),
                Math.min(ballast, u.usedBytes()));
        History<SpaceSample> history = space.computeIfAbsent(u.mount(),
                m -> new History<>(SpaceSample::at, settings.forecast().window()));
        history.add(sample, now);
        PressureAssessment pressure = PressureAssessor.assess(sample, levels.getOrDefault(u.mount(), PressureLevel.OK),
                settings.thresholds());
        levels.put(u.mount(), pressure.level());
        pressures.put(u.mount(), pressure);
        List<SpaceSample> samples = history.samples();
        Forecast forecast = DiskForecast.forecast(samples, now, settings.forecast());
        return new DiskWatch(u.mount(), u.device(), fs.logDirs(), u.totalBytes(), u.usableBytes(), sample.ballastBytes(),
                PressureView.of(pressure), ForecastView.of(forecast), UsagePoint.reduce(samples, CHART_POINTS));
    }

    private LogDirWatch logDir(LogDirObservation dir, Instant now) {
        History<LogDirSample> history = logDirs.computeIfAbsent(dir.path(),
                p -> new History<>(LogDirSample::at, settings.growthWindow()));
        boolean scanned = dir.scan() != null && dir.scan().ok() && dir.totals() != null;
        if (scanned) {
            history.add(LogDirSample.of(dir.scan()), now);
        }
        GrowthView growth = history.isEmpty() ? null : growth(history.samples(), now);
        return scanned
                ? new LogDirWatch(dir.path(), dir.mount(), true, share(dir.totals(), true), share(dir.totals(), false), growth)
                : new LogDirWatch(dir.path(), dir.mount(), false, 0, 0, growth);
    }

    /** Rates up to the newest scan, which started a moment after the observation's time. */
    private GrowthView growth(List<LogDirSample> samples, Instant now) {
        Instant newest = samples.get(samples.size() - 1).at();
        Instant until = newest.isAfter(now) ? newest : now;
        return GrowthView.of(LogDirGrowth.rates(samples, until, settings.growthWindow(), minGrowthSpan()));
    }

    /** The forecast's minimum span, but never more than half the growth window (or no rate could ever be given). */
    private Duration minGrowthSpan() {
        Duration half = settings.growthWindow().dividedBy(2);
        return settings.forecast().minSpan().compareTo(half) > 0 ? half : settings.forecast().minSpan();
    }

    private static double share(LogDirTotals totals, boolean allocated) {
        long index = allocated ? totals.indexes().allocatedBytes() : totals.indexes().apparentBytes();
        long all = allocated ? totals.total().allocatedBytes() : totals.total().apparentBytes();
        return all == 0 ? 0 : (double) index / all;
    }

    /** Filesystems and log dirs no longer observed are forgotten once their history is out of every window. */
    private void forgetOlderThan(Instant now) {
        space.values().forEach(h -> h.prune(now));
        space.entrySet().removeIf(e -> e.getValue().isEmpty());
        levels.keySet().retainAll(space.keySet());
        logDirs.values().forEach(h -> h.prune(now));
        logDirs.entrySet().removeIf(e -> e.getValue().isEmpty());
    }

    /** The report of the last pass, if any. */
    public Optional<WatchReport> latest() {
        return Optional.ofNullable(latest);
    }

    /** One state per filesystem of the last pass, {@code disk:<mount>} → OK, WARN, HIGH or CRITICAL, for events. */
    @Override
    public Map<String, SubjectState> subjectStates() {
        Map<String, SubjectState> states = new LinkedHashMap<>();
        WatchReport report = latest;
        if (report == null) {
            return states;
        }
        for (DiskWatch d : report.disks()) {
            PressureView p = d.pressure();
            String detail = p.reason() + (p.ballastBytes() > 0 ? "; " + Sizes.human(p.ballastBytes())
                    + " ballast reclaimable (" + p.levelWithoutBallast() + " without it)" : "");
            states.put("disk:" + d.mount(), new SubjectState(p.level().toUpperCase(java.util.Locale.ROOT), detail));
        }
        return states;
    }
}
