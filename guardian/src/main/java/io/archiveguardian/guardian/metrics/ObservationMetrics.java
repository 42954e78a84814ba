package io.archiveguardian.guardian.metrics;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Metrics of the observe step: per filesystem ({@code mount}, {@code device} labels), per log dir,
 * the broker state and the pass itself. Rows follow the last observation.
 */
public final class ObservationMetrics {

    private final GaugeRows diskTotal;
    private final GaugeRows diskFree;
    private final GaugeRows diskUsable;
    private final GaugeRows inodesTotal;
    private final GaugeRows inodesFree;
    private final GaugeRows logDirOnline;
    private final GaugeRows brokerState;
    private final GaugeRows lastPass;
    private final Timer passDuration;

    public ObservationMetrics(MeterRegistry registry) {
        diskTotal = new GaugeRows(registry, "guardian.disk.total", BaseUnits.BYTES, "Size of the filesystem under a Kafka log dir.");
        diskFree = new GaugeRows(registry, "guardian.disk.free", BaseUnits.BYTES, "Unallocated bytes on the filesystem (df: size - used).");
        diskUsable = new GaugeRows(registry, "guardian.disk.usable", BaseUnits.BYTES,
                "Bytes a non-root writer such as the broker may still use (df: avail).");
        inodesTotal = new GaugeRows(registry, "guardian.disk.inodes", null, "Inodes of the filesystem.");
        inodesFree = new GaugeRows(registry, "guardian.disk.inodes.free", null, "Free inodes of the filesystem.");
        logDirOnline = new GaugeRows(registry, "guardian.logdir.online", null,
                "1 when the log dir and its filesystem could be read in the last pass, else 0.");
        brokerState = new GaugeRows(registry, "guardian.broker.state", null,
                "1 for the local broker's current state (RUNNING, STOPPED_CLEAN, STOPPED_UNCLEAN, NOT_FORMATTED, UNKNOWN), 0 for the others.");
        lastPass = new GaugeRows(registry, "guardian.last.pass.timestamp", "seconds", "Unix time of the last completed pass.");
        passDuration = Timer.builder("guardian.scan.duration")
                .description("Time one pass of the sidecar spent observing the host.")
                .register(registry);
    }

    public void update(Observation observation) {
        diskTotal.set(rows(observation, FilesystemUsage::totalBytes));
        diskFree.set(rows(observation, FilesystemUsage::freeBytes));
        diskUsable.set(rows(observation, FilesystemUsage::usableBytes));
        inodesTotal.set(rows(observation, FilesystemUsage::inodesTotal));
        inodesFree.set(rows(observation, FilesystemUsage::inodesFree));
        Map<Tags, Integer> online = new LinkedHashMap<>();
        for (LogDirObservation dir : observation.logDirs()) {
            online.put(Tags.of("logdir", dir.path()), dir.online() ? 1 : 0);
        }
        logDirOnline.set(online);
        Map<Tags, Integer> states = new LinkedHashMap<>();
        for (BrokerState state : BrokerState.values()) {
            states.put(Tags.of("state", state.name()), observation.brokerState() == state ? 1 : 0);
        }
        brokerState.set(states);
        passDuration.record(Duration.ofNanos((long) (observation.observeSeconds() * 1e9)));
        lastPass.set(Map.of(Tags.empty(), observation.time().toEpochMilli() / 1000.0));
    }

    private static Map<Tags, Long> rows(Observation observation, ToLongFunction<FilesystemUsage> value) {
        Map<Tags, Long> rows = new LinkedHashMap<>();
        for (FilesystemObservation fs : observation.filesystems()) {
            FilesystemUsage usage = fs.usage();
            long v = value.applyAsLong(usage);
            if (v >= 0) {
                rows.put(Tags.of("mount", usage.mount(), "device", usage.device()), v);
            }
        }
        return rows;
    }
}
