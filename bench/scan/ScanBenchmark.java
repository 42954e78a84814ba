import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirScanner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a synthetic Kafka log dir (partitions x segments; .log, .index, .timeindex and .snapshot
 * per segment, a 10 MiB sparse .index/.timeindex on the active segment, as Kafka preallocates) and
 * times, in one run, with warm caches: the guardian's full scan and incremental scan (inside this
 * JVM, after one warm-up) against `du -s` and `du -s --apparent-size`. Prints medians and ratios.
 *
 * Usage: java -cp <guardian classes + jna> ScanBenchmark.java <work dir> [partitions] [segments] [repetitions]
 * With -Dbench.buildOnly=true it only builds <work dir>/kafka-logs and leaves it there.
 */
public final class ScanBenchmark {

    private static final long INDEX_PREALLOCATION = 10L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int segments = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Path logDir = work.resolve("kafka-logs");
        if (Boolean.getBoolean("bench.buildOnly")) {
            // for other benchmarks (bench/sidecar-footprint): build the tree, keep it, time nothing
            System.out.printf(Locale.ROOT, "built %s: %d partitions x %d segments, %d files%n",
                    logDir, partitions, segments, build(logDir, partitions, segments));
            return;
        }
        try {
            long t0 = System.nanoTime();
            long files = build(logDir, partitions, segments);
            System.out.printf(Locale.ROOT, "built %s: %d partitions x %d segments, %d files in %.1f s%n",
                    logDir, partitions, segments, files, (System.nanoTime() - t0) / 1e9);
            run(logDir, partitions, repetitions);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                // rm -rf is several times faster than a Java walk over 400,000 files
                new ProcessBuilder("rm", "-rf", logDir.toString()).inheritIO().start().waitFor();
                System.out.println("deleted " + logDir);
            }
        }
    }

    private static void run(Path logDir, int partitions, int repetitions) throws Exception {
        LogDirScanner scanner = new LogDirScanner();
        LogDirScanner twoThreads = new LogDirScanner(java.time.Clock.systemUTC(), 2);
        twoThreads.scan(logDir);
        // warm-up: one of each, also warms the dentry/inode caches for du
        LogDirScan previous = scanner.scan(logDir);
        previous = scanner.rescan(previous);
        du(logDir, false, new Timings());
        du(logDir, true, new Timings());

        Timings full = new Timings();
        Timings fullTwoThreads = new Timings();
        Timings incrementalIdle = new Timings();
        Timings incrementalBusy = new Timings();
        Timings duAllocated = new Timings();
        Timings duApparent = new Timings();
        long duBytes = 0;
        long duApparentBytes = 0;
        LogDirScan fullScan = previous;
        LogDirScan busyScan = previous;
        for (int rep = 0; rep < repetitions; rep++) {
            long[] t = full.start();
            fullScan = scanner.scan(logDir);
            full.stop(t);

            t = fullTwoThreads.start();
            LogDirScan parallel = twoThreads.scan(logDir);
            fullTwoThreads.stop(t);
            check(parallel.totals().equals(fullScan.totals()), "a 2-thread full scan differs from a 1-thread one");

            t = incrementalIdle.start();
            LogDirScan idle = scanner.rescan(fullScan);
            incrementalIdle.stop(t);
            check(idle.totals().equals(fullScan.totals()), "idle incremental scan totals differ from the full scan");

            // a busy broker between two passes: every active segment grows, 1% of partitions roll
            touchActiveSegments(logDir, fullScan, partitions / 100, rep);
            t = incrementalBusy.start();
            busyScan = scanner.rescan(idle);
            incrementalBusy.stop(t);

            duBytes = du(logDir, false, duAllocated);
            duApparentBytes = du(logDir, true, duApparent);
        }
        LogDirScan check = scanner.scan(logDir);
        check(check.totals().equals(busyScan.totals()), "busy incremental scan totals differ from a full scan: "
                + busyScan.totals() + " vs " + check.totals());
        System.out.printf(Locale.ROOT, "warm cache, %d repetitions, medians; ratio = time / du -s time%n", repetitions);
        System.out.printf(Locale.ROOT, "%-30s %9s %9s %9s %9s%n", "", "wall s", "ratio", "cpu s", "ratio");
        row("du -s", duAllocated, duAllocated);
        row("du -s --apparent-size", duApparent, duAllocated);
        row("guardian full scan", full, duAllocated);
        row("guardian full scan, 2 threads", fullTwoThreads, duAllocated);
        row("guardian incremental (idle)", incrementalIdle, duAllocated);
        row("guardian incremental (busy)", incrementalBusy, duAllocated);
        System.out.printf(Locale.ROOT, "full / du --apparent-size: wall %.3f, cpu %.3f%n",
                full.wall() / duApparent.wall(), full.cpu() / duApparent.cpu());
        System.out.printf(Locale.ROOT, "full scan work: %s%n", fullScan.work());
        System.out.printf(Locale.ROOT, "busy incremental work: %s%n", busyScan.work());
        System.out.printf(Locale.ROOT, "totals: guardian allocated %d / du %d; guardian apparent %d / du --apparent-size %d%n",
                check.totals().total().allocatedBytes(), duBytes, check.totals().total().apparentBytes(), duApparentBytes);
    }

    /**
     * Wall and CPU seconds of each repetition. The guardian's CPU is this JVM's (all threads, JIT and
     * GC included, user + system); du's is its own, from bash's {@code times}. CPU time is much less
     * disturbed than wall time by other load on a shared machine.
     */
    private static final class Timings {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();

        long[] start() {
            return new long[] {System.nanoTime(), OS.getProcessCpuTime()};
        }

        void stop(long[] start) {
            wall.add((System.nanoTime() - start[0]) / 1e9);
            cpu.add((OS.getProcessCpuTime() - start[1]) / 1e9);
        }

        double wall() {
            return median(wall);
        }

        double cpu() {
            return median(cpu);
        }
    }

    private static void row(String name, Timings t, Timings du) {
        System.out.printf(Locale.ROOT, "%-30s %9.4f %9.3f %9.4f %9.3f%n", name, t.wall(), t.wall() / du.wall(),
                t.cpu(), t.cpu() / du.cpu());
    }

    private static long build(Path logDir, int partitions, int segments) throws IOException {
        Files.createDirectories(logDir);
        byte[] logData = new byte[4096];
        Arrays.fill(logData, (byte) 'x');
        byte[] indexData = new byte[64];
        long files = 0;
        StringBuilder checkpoint = new StringBuilder("0\n" + partitions + "\n");
        for (int p = 0; p < partitions; p++) {
            String topic = "archive-" + (p / 100);
            int partition = p % 100;
            Path dir = Files.createDirectory(logDir.resolve(topic + "-" + partition));
            for (int s = 0; s < segments; s++) {
                String base = String.format(Locale.ROOT, "%020d", s * 1000L);
                Files.write(dir.resolve(base + ".log"), logData);
                Files.write(dir.resolve(base + ".snapshot"), indexData);
                if (s == segments - 1) {
                    preallocate(dir.resolve(base + ".index"));
                    preallocate(dir.resolve(base + ".timeindex"));
                } else {
                    Files.write(dir.resolve(base + ".index"), indexData);
                    Files.write(dir.resolve(base + ".timeindex"), indexData);
                }
                files += 4;
            }
            Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n1\n0 0\n");
            Files.writeString(dir.resolve("partition.metadata"), "version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA\n");
            files += 2;
            checkpoint.append(topic).append(' ').append(partition).append(' ').append((segments - 2) * 1000L).append('\n');
        }
        Files.writeString(logDir.resolve("recovery-point-offset-checkpoint"), checkpoint, StandardCharsets.UTF_8);
        // an archive's partition directories are old; make them so (the incremental scan trusts settled mtimes)
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        try (Stream<Path> dirs = Files.list(logDir)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Files.setLastModifiedTime(dir, anHourAgo);
            }
        }
        return files + 1;
    }

    private static void preallocate(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(INDEX_PREALLOCATION);
            raf.write(new byte[64]);
        }
    }

    /** Appends to every active segment; rolls a new segment in {@code rolls} partitions. */
    private static void touchActiveSegments(Path logDir, LogDirScan scan, int rolls, int rep) throws IOException {
        byte[] batch = new byte[512];
        int i = 0;
        for (var p : scan.partitions()) {
            Path dir = logDir.resolve(p.name().name());
            long active = p.segments().activeBaseOffset().getAsLong();
            Files.write(dir.resolve(String.format(Locale.ROOT, "%020d.log", active)), batch,
                    java.nio.file.StandardOpenOption.APPEND);
            if (i++ < rolls) {
                String base = String.format(Locale.ROOT, "%020d", active + 1000 + rep);
                Files.write(dir.resolve(base + ".log"), batch);
                preallocate(dir.resolve(base + ".index"));
                preallocate(dir.resolve(base + ".timeindex"));
            }
        }
    }

    /** Runs du through bash so that bash's {@code times} reports du's user and system CPU time. */
    private static long du(Path dir, boolean apparent, Timings timings) throws IOException, InterruptedException {
        String command = "du -s -B1 " + (apparent ? "--apparent-size " : "") + "\"$1\"; times";
        long wallStart = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", command, "bash", dir.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        timings.wall.add((System.nanoTime() - wallStart) / 1e9);
        String[] lines = out.strip().split("\n");
        String[] children = lines[lines.length - 1].trim().split("\\s+"); // "0m0.120s 0m1.030s"
        timings.cpu.add(minutesSeconds(children[0]) + minutesSeconds(children[1]));
        return Long.parseLong(lines[0].split("\\s+")[0]);
    }

    private static double minutesSeconds(String text) {
        int m = text.indexOf('m');
        return Integer.parseInt(text.substring(0, m)) * 60 + Double.parseDouble(text.substring(m + 1, text.length() - 1));
    }


    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
