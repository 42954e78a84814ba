package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.logdir.FileSize;
import io.archiveguardian.guardian.logdir.LogDirTotals;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The watch step's metrics (docs/metrics.md): pressure, growth and time-to-full per filesystem
 * ({@code mount}, {@code device}), sizes and rates per log dir ({@code logdir}). A rate or a
 * time-to-full that is not known (too little history, or a disk that is not filling) has no row.
 */
final class WatchMetrics {

    private static final String PER_SECOND = "bytes.per.second";

    private final GaugeRows pressureLevel;
    private final GaugeRows timeToFull;
    private final GaugeRows diskGrowth;
    private final GaugeRows logBytes;
    private final GaugeRows indexBytes;
    private final GaugeRows indexGrowth;
    private final GaugeRows writeRate;
    private final GaugeRows partitions;
    private final GaugeRows segments;
    private final GaugeRows specialBytes;
    private final GaugeRows specialDirectories;

    WatchMetrics(MeterRegistry registry) {
        pressureLevel = new GaugeRows(registry, "guardian.disk.pressure.level", null,
                "Pressure level of the filesystem: 0 ok, 1 warn, 2 high, 3 critical (with hysteresis).");
        timeToFull = new GaugeRows(registry, "guardian.disk.time.to.full", "seconds",
                "Seconds until the filesystem is full at its fitted growth rate; no row unless it is filling (or full: 0).");
        diskGrowth = new GaugeRows(registry, "guardian.disk.growth", PER_SECOND,
                "Fitted growth of data bytes (ballast excluded) on the filesystem over forecast.window.ms; negative when shrinking.");
        logBytes = new GaugeRows(registry, "guardian.logdir.log", BaseUnits.BYTES, "Bytes of .log segment files in the log dir.");
        indexBytes = new GaugeRows(registry, "guardian.logdir.index", BaseUnits.BYTES,
                "Bytes of index files in the log dir by kind (offset, time, txn) and size (apparent, allocated).");
        indexGrowth = new GaugeRows(registry, "guardian.logdir.index.growth", PER_SECOND,
                "Index bytes allocated per second in the log dir over growth.window.ms.");
        writeRate = new GaugeRows(registry, "guardian.logdir.write", PER_SECOND,
                ".log bytes written per second in the log dir over growth.window.ms.");
        partitions = new GaugeRows(registry, "guardian.logdir.partitions", null,
                "Partition directories in the log dir (the metadata log included, special directories not).");
        segments = new GaugeRows(registry, "guardian.logdir.segments", null, "Log segments in the log dir's partitions.");
        specialBytes = new GaugeRows(registry, "guardian.logdir.special", BaseUnits.BYTES,
                "Bytes in -delete, -future, -stray and unrecognized directories of the log dir, by size (apparent, allocated).");
        specialDirectories = new GaugeRows(registry, "guardian.logdir.special.directories", null,
                "-delete, -future, -stray and unrecognized directories in the log dir.");
    }

    void update(WatchReport report, Observation observation) {
        Map<Tags, Number> level = new LinkedHashMap<>();
        Map<Tags, Number> ttf = new LinkedHashMap<>();
        Map<Tags, Number> growth = new LinkedHashMap<>();
        for (DiskWatch d : report.disks()) {
            Tags tags = Tags.of("mount", d.mount(), "device", d.device());
            level.put(tags, d.pressure().severity());
            if (d.forecast().timeToFullSeconds() != null) {
                ttf.put(tags, d.forecast().timeToFullSeconds());
            }
            if (d.forecast().trend().equals("filling") || d.forecast().trend().equals("not-filling")) {
                growth.put(tags, d.forecast().bytesPerSecond());
            }
        }
        pressureLevel.set(level);
        timeToFull.set(ttf);
        diskGrowth.set(growth);
        logDirSizes(observation);
        Map<Tags, Number> writes = new LinkedHashMap<>();
        Map<Tags, Number> indexes = new LinkedHashMap<>();
        for (LogDirWatch d : report.logDirs()) {
            if (d.growth() != null && d.growth().sufficient()) {
                writes.put(Tags.of("logdir", d.path()), d.growth().logBytesPerSecond());
                indexes.put(Tags.of("logdir", d.path()), d.growth().indexAllocatedBytesPerSecond());
            }
        }
        writeRate.set(writes);
        indexGrowth.set(indexes);
    }

    private void logDirSizes(Observation observation) {
        Map<Tags, Number> log = new LinkedHashMap<>();
        Map<Tags, Number> index = new LinkedHashMap<>();
        Map<Tags, Number> parts = new LinkedHashMap<>();
        Map<Tags, Number> segs = new LinkedHashMap<>();
        Map<Tags, Number> special = new LinkedHashMap<>();
        Map<Tags, Number> specialDirs = new LinkedHashMap<>();
        for (LogDirObservation dir : observation.logDirs()) {
            LogDirTotals t = dir.totals();
            if (t == null) {
                continue;
            }
            Tags logdir = Tags.of("logdir", dir.path());
            log.put(logdir, t.log().apparentBytes());
            sizes(index, logdir.and("kind", "offset"), t.offsetIndex());
            sizes(index, logdir.and("kind", "time"), t.timeIndex());
            sizes(index, logdir.and("kind", "txn"), t.txnIndex());
            parts.put(logdir, t.partitions());
            segs.put(logdir, t.segments());
            sizes(special, logdir, t.special());
            specialDirs.put(logdir, t.specialDirectories());
        }
        logBytes.set(log);
        indexBytes.set(index);
        partitions.set(parts);
        segments.set(segs);
        specialBytes.set(special);
        specialDirectories.set(specialDirs);
    }

    private static void sizes(Map<Tags, Number> rows, Tags tags, FileSize size) {
        rows.put(tags.and("size", "apparent"), size.apparentBytes());
        rows.put(tags.and("size", "allocated"), size.allocatedBytes());
    }
}
