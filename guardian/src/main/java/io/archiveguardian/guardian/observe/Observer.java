package io.archiveguardian.guardian.observe;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.disk.FilesystemProbe;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The observe step on this host: each log dir, the filesystem under it and the broker state. A log
 * dir that cannot be read is reported offline with the reason; it never fails the pass.
 */
public final class Observer {

    private final GuardianSettings settings;
    private final Clock clock;
    private final FilesystemProbe filesystems = new FilesystemProbe();
    private final BrokerStateProbe brokerState;
    private final LogDirScanner scanner;
    private final Map<Path, LogDirScan> previousScans = new HashMap<>();

    public Observer(GuardianSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.scanner = new LogDirScanner(clock);
        this.brokerState = BrokerStateProbe.forBroker(settings.brokerProperties(),
                settings.config().getString(io.archiveguardian.guardian.config.GuardianConfig.BROKER_ADDRESS));
    }

    public Observation observe() {
        long start = System.nanoTime();
        Instant time = clock.instant();
        List<LogDirObservation> dirs = new ArrayList<>();
        Map<String, FilesystemUsage> usageByMount = new LinkedHashMap<>();
        Map<String, List<String>> dirsByMount = new LinkedHashMap<>();
        List<BrokerState> states = new ArrayList<>();
        for (Path logDir : settings.logDirs()) {
            LogDirBrokerState state = brokerState.probe(logDir);
            states.add(state.state());
            try {
                FilesystemUsage usage = filesystems.probe(logDir);
                usageByMount.putIfAbsent(usage.mount(), usage);
                dirsByMount.computeIfAbsent(usage.mount(), m -> new ArrayList<>()).add(logDir.toString());
                LogDirScan scan = scan(logDir);
                dirs.add(new LogDirObservation(logDir.toString(), true, null, usage.mount(), state,
                        scan.ok() ? scan.totals() : null, scan.error().orElse(null), scan));
            } catch (IOException | RuntimeException e) {
                previousScans.remove(logDir);
                dirs.add(new LogDirObservation(logDir.toString(), false, describe(e), null, state, null, null, null));
            }
        }
        List<FilesystemObservation> fs = new ArrayList<>();
        usageByMount.forEach((mount, usage) -> fs.add(new FilesystemObservation(usage, dirsByMount.get(mount))));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Observation(time, settings.hostName(), settings.nodeId().isPresent() ? settings.nodeId().getAsInt() : null,
                BrokerState.combine(states), dirs, fs, seconds);
    }

    /** A full scan the first time (or after a failure), then only what changed (closed segments never do). */
    private LogDirScan scan(Path logDir) {
        LogDirScan previous = previousScans.get(logDir);
        LogDirScan scan = previous == null || !previous.ok() ? scanner.scan(logDir) : scanner.rescan(previous);
        previousScans.put(logDir, scan);
        return scan;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
