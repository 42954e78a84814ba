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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    private final int threads;

    public LogDirScanner() {
        this(Clock.systemUTC());
    }

    public LogDirScanner(Clock clock) {
        this(clock, 1);
    }

    /**
     * @param threads partition directories are read by this many threads (1: the calling thread
     *                only). More threads shorten a full scan of a large log dir on an idle machine;
     *                they do not lower its CPU cost.
     */
    public LogDirScanner(Clock clock, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.clock = clock;
        this.threads = threads;
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
        List<PendingDir> pending = new ArrayList<>();
        try {
            boolean exists = stats.list(root, counters, (bytes, offset, length, directory, apparent, allocated, mtime) -> {
                if (!directory) {
                    rootFilesSum[0] = rootFilesSum[0].plus(apparent, allocated);
                    return;
                }
                FileStat stat = new FileStat(true, apparent, allocated, mtime);
                String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
                if (threads > 1) {
                    pending.add(new PendingDir(name, stat));
                    return;
                }
                readPartition(reader, logDir, name, bytes, offset, length, stat, before.get(name), settledBefore)
                        .ifPresent(p -> (p.kind().special() ? special : partitions).add(p));
            });
            if (!exists) {
                return failed(logDir, startedAt, mode, counters, startNanos, "the log dir vanished while it was read");
            }
        } catch (IOException | RuntimeException e) {
            return failed(logDir, startedAt, mode, counters, startNanos, "cannot list the log dir: " + PartitionDirReader.describe(e));
        }
        if (!pending.isEmpty()) {
            try {
                readInParallel(logDir, pending, before, settledBefore, counters, partitions, special);
            } catch (RuntimeException e) {
                return failed(logDir, startedAt, mode, counters, startNanos, "cannot read the log dir: " + PartitionDirReader.describe(e));
            }
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

    /**
     * One partition directory: only its active segment when it is unchanged since {@code old} was
     * read and settled by then, otherwise in full. Empty when it vanished.
     */
    private static Optional<PartitionScan> readPartition(PartitionDirReader reader, Path logDir, String name, byte[] bytes,
                                                         int offset, int length, FileStat stat, PartitionScan old,
                                                         long settledBefore) {
        boolean unchanged = old != null && old.error().isEmpty() && old.modifiedNanos() == stat.modifiedNanos()
                && stat.modifiedNanos() < settledBefore;
        if (unchanged) {
            Optional<PartitionScan> refreshed = reader.refreshActive(logDir.toString(), bytes, offset, length, old);
            if (refreshed.isPresent()) {
                return refreshed;
            }
        }
        PartitionDirName parsed = old != null ? old.name() : PartitionDirName.parse(name);
        return reader.readAll(logDir.resolve(name), parsed, stat);
    }

    private record PendingDir(String name, FileStat stat) {
    }

    private record Read(List<PartitionScan> scans, ScanCounters counters) {
    }

    /** Reads the collected partition directories in {@code threads} slices, each with its own stats and counters. */
    private void readInParallel(Path logDir, List<PendingDir> pending, Map<String, PartitionScan> before, long settledBefore,
                                ScanCounters counters, List<PartitionScan> partitions, List<PartitionScan> special) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "log-dir-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Read>> slices = new ArrayList<>();
            for (int slice = 0; slice < threads; slice++) {
                int first = slice;
                slices.add(pool.submit(() -> {
                    ScanCounters own = new ScanCounters();
                    PartitionDirReader reader = new PartitionDirReader(FileStats.open(), own);
                    List<PartitionScan> scans = new ArrayList<>();
                    for (int i = first; i < pending.size(); i += threads) {
                        PendingDir dir = pending.get(i);
                        byte[] name = dir.name().getBytes(StandardCharsets.UTF_8);
                        readPartition(reader, logDir, dir.name(), name, 0, name.length, dir.stat(), before.get(dir.name()),
                                settledBefore).ifPresent(scans::add);
                    }
                    return new Read(scans, own);
                }));
            }
            for (Future<Read> slice : slices) {
                Read read = slice.get();
                read.scans().forEach(p -> (p.kind().special() ? special : partitions).add(p));
                counters.add(read.counters());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning " + logDir, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scanning " + logDir + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
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
