package io.archiveguardian.guardian.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watch duty over real observations of a real tmpfs, passes a minute apart on a stepping clock. */
class WatchDutyTest {

    static final long MIB = SmallFilesystemExtension.MIB;
    static final Duration PASS = Duration.ofMinutes(1);

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(64 * MIB);

    private final SteppingClock clock = new SteppingClock(Instant.now());
    private final GuardianMetrics metrics = new GuardianMetrics();
    private Path logDir;
    private Observer observer;
    private WatchDuty watch;

    @BeforeEach
    void sidecarPieces() throws IOException {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        // Thresholds for a 64 MiB disk: ratios only (no floors, no headroom cap), 5% hysteresis.
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(),
                "pressure.warn.ratio", "0.5", "pressure.high.ratio", "0.7", "pressure.critical.ratio", "0.9",
                "pressure.warn.floor.bytes", "0", "pressure.high.floor.bytes", "0", "pressure.critical.floor.bytes", "0",
                "pressure.warn.headroom.bytes", "0", "pressure.high.headroom.bytes", "0"));
        config.putAll(Map.of("pressure.critical.headroom.bytes", "0", "pressure.hysteresis.ratio", "0.05",
                "pressure.hysteresis.bytes", "0", "forecast.window.ms", "3600000", "forecast.min.span.ms", "240000",
                "growth.window.ms", "3600000"));
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(config));
        observer = new Observer(settings, clock);
        watch = WatchDuty.create(settings, metrics.registry());
    }

    @Test
    void pressureRisesAtOnceAndFallsOnlyPastTheHysteresisMargin() throws Exception {
        String[] expected = {"ok", "warn", "high", "high", "warn", "ok"};
        double[] usage = {0.10, 0.55, 0.72, 0.67, 0.60, 0.40};
        for (int pass = 0; pass < usage.length; pass++) {
            fillTo(usage[pass]);
            DiskWatch d = pass(Map.of()).disks().get(0);
            assertThat(d.pressure().usedRatio()).isCloseTo(usage[pass], within(0.01));
            assertThat(d.pressure().level()).as("pass %d at %.0f%% used: %s", pass, 100 * usage[pass], d.pressure().reason())
                    .isEqualTo(expected[pass]);
            assertThat(gauge("guardian_disk_pressure_level")).isEqualTo(d.pressure().severity());
            assertThat(watch.subjectStates()).containsOnlyKeys("disk:" + disk.root());
            assertThat(watch.subjectStates().get("disk:" + disk.root()).state())
                    .isEqualTo(expected[pass].toUpperCase(Locale.ROOT));
        }
    }

    @Test
    void theHeldLevelSaysWhyItStays() throws Exception {
        fillTo(0.72);
        pass(Map.of());
        fillTo(0.67);
        PressureView held = pass(Map.of()).disks().get(0).pressure();
        assertThat(held.level()).isEqualTo("high");
        assertThat(held.previousLevel()).isEqualTo("high");
        assertThat(held.reason()).startsWith("stays high until below the threshold by the hysteresis margin: used 67.")
                .endsWith("% >= high 65.0%");
    }

    @Test
    void ballastIsCountedAsUsedAndReportedAsReclaimable() throws Exception {
        fillTo(0.75);
        long filler = Files.size(disk.root().resolve("filler"));
        WatchReport report = pass(Map.of(disk.root().toString(), filler));
        PressureView p = report.disks().get(0).pressure();
        assertThat(p.level()).isEqualTo("high");
        assertThat(p.ballastBytes()).isEqualTo(filler);
        assertThat(p.levelWithoutBallast()).isEqualTo("ok");
        assertThat(report.disks().get(0).ballastBytes()).isEqualTo(filler);
        assertThat(watch.subjectStates().get("disk:" + disk.root()).detail())
                .endsWith("ballast reclaimable (ok without it)");
    }

    @Test
    void anIdleDiskIsNotFillingAndHasNoTimeToFullRow() throws Exception {
        segment("archive-0", 0, MIB);
        ForecastView forecast = null;
        for (int pass = 0; pass < 6; pass++) {
            forecast = pass(Map.of()).disks().get(0).forecast();
            if (pass < 4) {
                assertThat(forecast.trend()).as("pass %d spans %d min < 4 min", pass, pass).isEqualTo("insufficient-data");
            }
        }
        assertThat(forecast.trend()).isEqualTo("not-filling");
        assertThat(forecast.detail()).isEqualTo("flat");
        assertThat(forecast.timeToFullSeconds()).isNull();
        assertThat(forecast.bytesPerSecond()).isZero();
        String scrape = metrics.scrape();
        assertThat(scrape).doesNotContain("guardian_disk_time_to_full_seconds{");
        assertThat(gauge("guardian_disk_growth_bytes_per_second")).isZero();
        assertThat(gaugeOf(scrape, "guardian_logdir_write_bytes_per_second", "logdir=\"" + logDir + "\"")).isZero();
    }

    @Test
    void aFillingDiskGetsATimeToFullFromItsGrowthRate() throws Exception {
        long perPass = 2 * MIB;
        WatchReport report = null;
        for (int pass = 0; pass < 8; pass++) {
            segment("archive-0", pass * 1000L, perPass);
            report = pass(Map.of());
        }
        ForecastView forecast = report.disks().get(0).forecast();
        double rate = (double) perPass / PASS.toSeconds();
        assertThat(forecast.trend()).isEqualTo("filling");
        assertThat(forecast.bytesPerSecond()).isCloseTo(rate, within(rate * 0.02));
        double expected = report.disks().get(0).usableBytes() / forecast.bytesPerSecond();
        assertThat(forecast.timeToFullSeconds()).isCloseTo(expected, within(1.0));
        assertThat((double) gauge("guardian_disk_time_to_full_seconds")).isCloseTo(expected, within(1.0));

        LogDirWatch dir = report.logDirs().get(0);
        assertThat(dir.growth().sufficient()).isTrue();
        assertThat(dir.growth().logBytesPerSecond()).isCloseTo(rate, within(rate * 0.02));
        double indexRate = 2 * 4096.0 / PASS.toSeconds(); // one dense .index and .timeindex page per segment
        assertThat(dir.growth().indexAllocatedBytesPerSecond()).isCloseTo(indexRate, within(indexRate * 0.02));
        String scrape = metrics.scrape();
        String logdir = "logdir=\"" + logDir + "\"";
        assertThat((double) gaugeOf(scrape, "guardian_logdir_write_bytes_per_second", logdir)).isCloseTo(rate, within(rate * 0.02));
        assertThat((double) gaugeOf(scrape, "guardian_logdir_index_growth_bytes_per_second", logdir))
                .isCloseTo(indexRate, within(indexRate * 0.02));
        assertThat(gaugeOf(scrape, "guardian_logdir_log_bytes", logdir)).isEqualTo(8 * perPass);
        assertThat(gaugeOf(scrape, "guardian_logdir_segments", logdir)).isEqualTo(8);
        assertThat(gaugeOf(scrape, "guardian_logdir_partitions", logdir)).isEqualTo(1);
        assertThat(gaugeOf(scrape, "guardian_logdir_index_bytes", "kind=\"offset\"," + logdir + ",size=\"apparent\"")).isEqualTo(8 * 4096);
        assertThat(gaugeOf(scrape, "guardian_logdir_index_bytes", "kind=\"txn\"," + logdir + ",size=\"allocated\"")).isZero();
    }

    @Test
    void historyIsBoundedByTheWindowAndTheChartByItsPointCount() throws Exception {
        WatchReport report = null;
        for (int pass = 0; pass < 70; pass++) {
            report = pass(Map.of());
        }
        // a 60-minute window of passes a minute apart: 61 samples at most, reduced to 60 chart points
        DiskWatch d = report.disks().get(0);
        assertThat(d.forecast().samples()).isEqualTo(61);
        assertThat(d.history()).hasSize(WatchDuty.CHART_POINTS);
        assertThat(d.history().get(d.history().size() - 1).at()).isEqualTo(report.time());
        assertThat(report.logDirs().get(0).growth().samples()).isEqualTo(61);
    }

    private WatchReport pass(Map<String, Long> ballast) {
        clock.advance(PASS);
        Observation observation = observer.observe();
        return watch.update(observation, ballast);
    }

    /** Writes (or rewrites) one filler file so the filesystem is {@code ratio} used. */
    private void fillTo(double ratio) throws IOException {
        Path filler = disk.root().resolve("filler");
        Files.deleteIfExists(filler);
        FileStore store = Files.getFileStore(disk.root());
        long used = store.getTotalSpace() - store.getUnallocatedSpace();
        long bytes = Math.max(0, (long) (ratio * store.getTotalSpace()) - used);
        Files.write(filler, new byte[(int) bytes]);
    }

    /** A closed segment: {@code logBytes} of .log and one page each of .index and .timeindex. */
    private void segment(String partition, long baseOffset, long logBytes) throws IOException {
        Path dir = Files.createDirectories(logDir.resolve(partition));
        String base = String.format(Locale.ROOT, "%020d", baseOffset);
        Files.write(dir.resolve(base + ".log"), new byte[(int) logBytes]);
        Files.write(dir.resolve(base + ".index"), new byte[4096]);
        Files.write(dir.resolve(base + ".timeindex"), new byte[4096]);
    }

    private long gauge(String name) {
        return gaugeOf(metrics.scrape(), name, "device=\"tmpfs\",mount=\"" + disk.root() + "\"");
    }

    static long gaugeOf(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as(name + "{" + labels + "} in\n" + scrape).isTrue();
        return Math.round(Double.parseDouble(m.group(1)));
    }
}
