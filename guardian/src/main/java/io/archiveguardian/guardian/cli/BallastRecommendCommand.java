package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.disk.GrowthRates;
import io.archiveguardian.guardian.disk.LogDirGrowth;
import io.archiveguardian.guardian.disk.LogDirSample;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirScanner;
import io.archiveguardian.guardian.recovery.BallastRecommendation;
import io.archiveguardian.guardian.recovery.GrowthRecord;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.reserve.ReserveObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "recommend", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Recommends a ballast size per disk from measurements; changes nothing.",
                "The size is the catch-up of a broker outage of recovery.outage.ms (or --outage) at the "
                        + "measured write rate, plus the local recovery of an unclean start, plus the margin. The "
                        + "write rate is the one the running sidecar recorded in state.dir, else measured now over "
                        + "--sample."})
final class BallastRecommendCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    /** The longest outage --outage sizes for (and the least), as recovery.outage.ms allows. */
    static final Duration MIN_OUTAGE = Duration.ofMinutes(1);
    static final Duration MAX_OUTAGE = Duration.ofDays(365);

    @Option(names = "--outage", paramLabel = "DURATION", converter = DurationConverter.Outage.class,
            description = "Outage to size for, with a unit: 90m, 2h, 1d; from 1m to 365d (default: recovery.outage.ms).")
    Duration outageOption;

    @Option(names = "--sample", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.Sample.class,
            description = "When no rate is recorded: how long to measure the write rate, with a unit, 1s to 1h "
                    + "(default ${DEFAULT-VALUE}).")
    Duration sample;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        GuardianSettings settings = options.settings();
        Clock clock = Clock.systemUTC();
        Duration outage = outageOption != null ? outageOption
                : Duration.ofMillis(settings.config().getLong(GuardianConfig.RECOVERY_OUTAGE_MS));
        Observation o = new Observer(settings, clock).observe();
        Map<String, Double> rates = new HashMap<>();
        String source = recordedRates(settings, rates) ? "recorded by the sidecar" : measure(settings, clock, rates);
        List<ReserveView> ballast = BallastService.create(settings, "guardian ballast recommend", ReserveObserver.NONE).views();
        List<BallastRecommendation> out = BallastRecommendation.of(o, rates, source, outage, settings, ballast, false);
        var w = spec.commandLine().getOut();
        if (output.json()) {
            w.println(Json.writePretty(Map.of("recommendations", out)));
        } else {
            for (BallastRecommendation r : out) {
                w.printf(Locale.ROOT, "%s (log dirs %s):%n  recommended ballast %s (%.1f%% of the disk), armed now %s%n",
                        r.mount(), String.join(", ", r.logDirs()), Sizes.human(r.recommendedBytes()),
                        r.shareOfFilesystem() * 100, Sizes.human(r.armedBytes()));
                r.need().explanation().forEach(line -> w.println("    " + line));
                w.println("  in the guardian's properties: " + r.configLine());
            }
        }
        w.flush();
        return 0;
    }

    private static boolean recordedRates(GuardianSettings settings, Map<String, Double> rates) {
        Optional<GrowthRecord> record = GrowthRecord.read(Path.of(settings.config().getString(GuardianConfig.STATE_DIR)));
        record.ifPresent(r -> r.logDirs().forEach((dir, g) -> {
            if (g.writeBytesPerSecond() > 0) {
                rates.put(dir, g.writeBytesPerSecond());
            }
        }));
        return !rates.isEmpty();
    }

    /** Scans each log dir five times over the sample and fits the write rate (Theil-Sen). */
    private String measure(GuardianSettings settings, Clock clock, Map<String, Double> rates) throws InterruptedException {
        LogDirScanner scanner = new LogDirScanner(clock);
        Map<Path, List<LogDirSample>> samples = new HashMap<>();
        Map<Path, LogDirScan> last = new HashMap<>();
        int points = 5;
        for (int i = 0; i < points; i++) {
            for (Path dir : settings.logDirs()) {
                LogDirScan scan = last.containsKey(dir) ? scanner.rescan(last.get(dir)) : scanner.scan(dir);
                last.put(dir, scan);
                samples.computeIfAbsent(dir, k -> new ArrayList<>()).add(LogDirSample.of(scan));
            }
            if (i < points - 1) {
                Thread.sleep(sample.toMillis() / (points - 1));
            }
        }
        Duration span = sample;
        samples.forEach((dir, list) -> {
            GrowthRates g = LogDirGrowth.rates(list, clock.instant(), span.multipliedBy(2), span.dividedBy(2));
            rates.put(dir.toString(), g.sufficient() ? g.logBytesPerSecond() : 0.0);
        });
        return "measured over " + Durations.human(sample.toMillis() / 1000.0);
    }
}
