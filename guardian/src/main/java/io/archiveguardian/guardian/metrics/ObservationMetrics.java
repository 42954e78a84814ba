package io.archiveguardian.guardian.metrics;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.sidecar.FilesystemObservation;
import io.archiveguardian.guardian.sidecar.LogDirObservation;
import io.archiveguardian.guardian.sidecar.Observation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import io.archiveguardian.guardian.disk.FilesystemUsage;

/**
 * Metrics of the observe step: per filesystem ({@code mount}, {@code device} labels), per log dir,
 * the broker state and the pass itself. Rows follow the last observation.
 */
public final class ObservationMetrics {

    private final MultiGauge diskTotal;
    private final MultiGauge diskFree;
    private final MultiGauge diskUsable;
    private final MultiGauge inodesTotal;
    private final MultiGauge inodesFree;
    private final MultiGauge logDirOnline;
    private final MultiGauge brokerState;
    private final Timer passDuration;
    private final MultiGauge lastPass;

    public ObservationMetrics(MeterRegistry registry) {
        diskTotal = bytes(registry, "guardian.disk.total", "Size of the filesystem under a Kafka log dir.");
        diskFree = bytes(registry, "guardian.disk.free", "Unallocated bytes on the filesystem (df: size - used).");
        diskUsable = bytes(registry, "guardian.disk.usable", "Bytes a non-root writer such as the broker may still use (df: avail).");
        inodesTotal = MultiGauge.builder("guardian.disk.inodes").description("Inodes of the filesystem.").register(registry);
        inodesFree = MultiGauge.builder("guardian.disk.inodes.free").description("Free inodes of the filesystem.").register(registry);
        logDirOnline = MultiGauge.builder("guardian.logdir.online")
                .description("1 when the log dir and its filesystem could be read in the last pass, else 0.").register(registry);
        brokerState = MultiGauge.builder("guardian.broker.state")
                .description("1 for the local broker's current state (RUNNING, STOPPED_CLEAN, STOPPED_UNCLEAN, NOT_FORMATTED, UNKNOWN), 0 for the others.")
                .register(registry);
        passDuration = Timer.builder("guardian.scan.duration")
                .description("Time one pass of the sidecar spent observing the host.")
                .register(registry);
        lastPass = MultiGauge.builder("guardian.last.pass.timestamp").baseUnit("seconds")
                .description("Unix time of the last completed pass.").register(registry);
    }

    private static MultiGauge bytes(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).baseUnit(BaseUnits.BYTES).description(description).register(registry);
    }

    public void update(Observation observation) {
        diskTotal.register(rows(observation, FilesystemUsage::totalBytes), true);
        diskFree.register(rows(observation, FilesystemUsage::freeBytes), true);
        diskUsable.register(rows(observation, FilesystemUsage::usableBytes), true);
        inodesTotal.register(rows(observation, FilesystemUsage::inodesTotal), true);
        inodesFree.register(rows(observation, FilesystemUsage::inodesFree), true);
        List<MultiGauge.Row<?>> online = new ArrayList<>();
        for (LogDirObservation dir : observation.logDirs()) {
            online.add(MultiGauge.Row.of(Tags.of("logdir", dir.path()), dir.online() ? 1 : 0));
        }
        logDirOnline.register(online, true);
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        for (BrokerState state : BrokerState.values()) {
            states.add(MultiGauge.Row.of(Tags.of("state", state.name()), observation.brokerState() == state ? 1 : 0));
        }
        brokerState.register(states, true);
        passDuration.record(Duration.ofNanos((long) (observation.observeSeconds() * 1e9)));
        lastPass.register(List.of(MultiGauge.Row.of(Tags.empty(),
                observation.time().toEpochMilli() / 1000.0)), true);
    }

    private static List<MultiGauge.Row<?>> rows(Observation observation, ToLongFunction<FilesystemUsage> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (FilesystemObservation fs : observation.filesystems()) {
            FilesystemUsage usage = fs.usage();
            long v = value.applyAsLong(usage);
            if (v >= 0) {
                rows.add(MultiGauge.Row.of(Tags.of("mount", usage.mount(), "device", usage.device()), v));
            }
        }
        return rows;
    }

}
