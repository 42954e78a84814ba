package io.archiveguardian.guardian.logdir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scans Kafka log dirs. {@link #scan(Path)} reads everything; {@link #rescan(LogDirScan)} starts
 * from a previous result and re-reads only what can have changed:
 * <ul>
 *   <li>the log dir's top level is always listed (one directory) and its entries stat'ed;</li>
 *   <li>a partition directory whose mtime changed (a file was added, removed or renamed: a roll,
 *       a deletion, a compaction swap), or changed too recently to be trusted, is read in full;</li>
 *   <li>otherwise only its active segment ({@code .log} and its index files) is stat'ed, because
 *       closed segments do not change.</li>
 * </ul>
 * Never throws for a missing or unreadable log dir: the result carries the error. Files and
 * directories that vanish during the scan are skipped and counted. Instances are thread-safe.
 */
public final class LogDirScanner {

    public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";

    /**
     * A directory modified this close to (or after) the previous scan's start is read again:
     * a change within the filesystem's timestamp granularity would otherwise go unseen.
     */
    static final Duration SETTLE_TIME = Duration.ofSeconds(2);

    private final Clock clock;

    public LogDirScanner() {
        this(Clock.systemUTC());
    }

    public LogDirScanner(Clock clock) {
        this.clock = clock;
    }

    /** Full scan of one log dir. */
    public LogDirScan scan(Path logDir) {
        return run(logDir, null);
    }

    /** Incremental scan from a previous result of the same log dir; a full scan if it had failed. */
    public LogDirScan rescan(LogDirScan previous) {
        return run(previous.logDir(), previous.ok() ? previous : null);
    }

    private LogDirScan run(Path logDir, LogDirScan previous) {
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        ScanCounters counters = new ScanCounters();
        ScanWork.Mode mode = previous == null ? ScanWork.Mode.FULL : ScanWork.Mode.INCREMENTAL;
        FileStats stats = FileStats.open();
        String root = logDir.toString();
        FileStat rootStat;
        try {
            counters.pathsStatted++;
            rootStat = stats.stat(root);
        } catch (IOException e) {
            return failed(logDir, startedAt, mode, counters, startNanos, "cannot stat the log dir: " + PartitionDirReader.describe(e));
        }
        if (rootStat == null) {
            return failed(logDir, startedAt, mode, counters, startNanos, "the log dir does not exist");
        }
        if (!rootStat.directory()) {
            return failed(logDir, startedAt, mode, counters, startNanos, "the log dir is not a directory");
        }

        Map<String, PartitionScan> before = previousByName(previous);
        long settledBefore = previous == null ? Long.MIN_VALUE : nanosOf(previous.startedAt().minus(SETTLE_TIME));
        PartitionDirReader reader = new PartitionDirReader(stats, counters);
        List<PartitionScan> partitions = new ArrayList<>();
        List<PartitionScan> special = new ArrayList<>();
        FileSize[] rootFilesSum = {rootStat.size()};
        try {
            boolean exists = stats.list(root, counters, (bytes, offset, length, directory, apparent, allocated, mtime) -> {
                if (!directory) {
                    rootFilesSum[0] = rootFilesSum[0].plus(apparent, allocated);
                    return;
                }
                FileStat stat = new FileStat(true, apparent, allocated, mtime);
                String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
                PartitionScan old = before.get(name);
                PartitionDirName parsed = old != null ? old.name() : PartitionDirName.parse(name);
                Optional<PartitionScan> scanned = Optional.empty();
                boolean unchanged = old != null && old.error().isEmpty() && old.modifiedNanos() == stat.modifiedNanos()
                        && stat.modifiedNanos() < settledBefore;
                if (unchanged) {
                    scanned = reader.refreshActive(root, bytes, offset, length, old);
                }
                if (scanned.isEmpty()) {
                    scanned = reader.readAll(logDir.resolve(name), parsed, stat);
                }
                scanned.ifPresent(p -> (parsed.kind().special() ? special : partitions).add(p));
            });
            if (!exists) {
                return failed(logDir, startedAt, mode, counters, startNanos, "the log dir vanished while it was read");
            }
        } catch (IOException | RuntimeException e) {
            return failed(logDir, startedAt, mode, counters, startNanos, "cannot list the log dir: " + PartitionDirReader.describe(e));
        }
        FileSize rootFiles = rootFilesSum[0];
        Comparator<PartitionScan> byName = Comparator.comparing(p -> p.name().name());
        partitions.sort(byName);
        special.sort(byName);
        OffsetCheckpoint recovery = readCheckpoint(logDir.resolve(RECOVERY_POINT_CHECKPOINT));
        OffsetCheckpoint logStart = readCheckpoint(logDir.resolve(LOG_START_OFFSET_CHECKPOINT));
        ScanWork work = work(mode, counters, startNanos);
        return new LogDirScan(logDir, startedAt, work, Optional.empty(), stats.allocatedKnown(), partitions, special,
                rootFiles, recovery, logStart, LogDirTotals.of(partitions, special, rootFiles));
    }

    /** Reads a checkpoint file; a missing, unreadable or corrupt file is reported, never thrown. */
    public static OffsetCheckpoint readCheckpoint(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return OffsetCheckpoint.missing(file.getFileName() + " does not exist");
        } catch (IOException e) {
            return OffsetCheckpoint.unreadable(file.getFileName() + " cannot be read: " + PartitionDirReader.describe(e));
        }
        OffsetCheckpoint parsed = OffsetCheckpoint.parse(new String(bytes, StandardCharsets.UTF_8));
        return parsed.status() == OffsetCheckpoint.Status.CORRUPT
                ? new OffsetCheckpoint(parsed.status(), parsed.offsets(), file.getFileName() + ": " + parsed.detail())
                : parsed;
    }

    private static Map<String, PartitionScan> previousByName(LogDirScan previous) {
        if (previous == null) {
            return Map.of();
        }
        Map<String, PartitionScan> map = new HashMap<>();
        previous.partitions().forEach(p -> map.put(p.name().name(), p));
        previous.special().forEach(p -> map.put(p.name().name(), p));
        return map;
    }

    private static long nanosOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static ScanWork work(ScanWork.Mode mode, ScanCounters c, long startNanos) {
        return new ScanWork(mode, c.directoriesListed, c.pathsStatted, c.partitionsRead, c.vanished,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private static LogDirScan failed(Path logDir, Instant startedAt, ScanWork.Mode mode, ScanCounters counters,
                                     long startNanos, String error) {
        return LogDirScan.failed(logDir, startedAt, work(mode, counters, startNanos), logDir + ": " + error);
    }
}
