package io.archiveguardian.guardian.facts;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The immutable, typed record of one pass that every duty reads: the observation, each filesystem's
 * {@link DiskFacts}, the measured write rate per log dir and the ballast size the recovery model
 * recommends per log dir. Duties run in registration order; each returns the facts with its own part
 * added ({@code with...}), never changing another duty's part. Displays (the status report, the page,
 * heartbeats) are built from these facts, never the reverse.
 *
 * @param disks              by mount point, in the observation's order
 * @param writeRates         measured log write rate per log dir (bytes/s), only where the growth window suffices
 * @param recommendedBallast the 'ballast recommend' size per log dir where the write rate is measured
 */
public record PassFacts(Observation observation, Map<String, DiskFacts> disks, Map<String, Double> writeRates,
                        Map<String, Long> recommendedBallast) {

    public PassFacts {
        disks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(disks));
        writeRates = Map.copyOf(writeRates);
        recommendedBallast = Map.copyOf(recommendedBallast);
    }

    /** The facts of a fresh observation: space only, nothing assessed. */
    public static PassFacts of(Observation observation) {
        Map<String, DiskFacts> disks = new LinkedHashMap<>();
        for (FilesystemObservation fs : observation.filesystems()) {
            disks.put(fs.mount(), DiskFacts.of(fs));
        }
        return new PassFacts(observation, disks, Map.of(), Map.of());
    }

    public Instant time() {
        return observation.time();
    }

    public BrokerState brokerState() {
        return observation.brokerState();
    }

    public boolean brokerRunning() {
        return observation.brokerState() == BrokerState.RUNNING;
    }

    public Optional<DiskFacts> disk(String mount) {
        return Optional.ofNullable(disks.get(mount));
    }

    /** The pressure of the filesystem holding {@code logDir}; empty when not assessed or not observed. */
    public Optional<PressureLevel> pressureOf(String logDir) {
        return disks.values().stream().filter(d -> d.logDirs().contains(logDir)).map(DiskFacts::pressure)
                .filter(p -> p != null).findFirst();
    }

    public List<DiskFacts> diskList() {
        return List.copyOf(disks.values());
    }

    /** These facts with one filesystem's part changed; an unknown mount changes nothing. */
    public PassFacts withDisk(String mount, UnaryOperator<DiskFacts> change) {
        if (!disks.containsKey(mount)) {
            return this;
        }
        Map<String, DiskFacts> next = new LinkedHashMap<>(disks);
        next.put(mount, change.apply(disks.get(mount)));
        return new PassFacts(observation, next, writeRates, recommendedBallast);
    }

    public PassFacts withWriteRates(Map<String, Double> rates) {
        return new PassFacts(observation, disks, rates, recommendedBallast);
    }

    public PassFacts withRecommendedBallast(Map<String, Long> recommended) {
        return new PassFacts(observation, disks, writeRates, recommended);
    }
}
