package io.archiveguardian.reserve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Benchmark (run by {@code bench/reserve-blocks/run.sh}): on one filesystem, in one run, compares
 * arming with the library against {@code fallocate -l}, the write path against {@code dd ...
 * conv=fsync}, and times the release of one tier. Times are taken inside this JVM (no JVM start).
 *
 * <p>Arguments: DIR (an empty directory on the filesystem under test) RUNS WRITE_MIB.
 */
public final class ReserveBench {

    private static final long MIB = 1024L * 1024;

    private ReserveBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        long writeBytes = Long.parseLong(args[2]) * MIB;
        Path logDir = Files.createDirectories(dir.resolve("kafka-logs"));
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir));
        long[] allocation = new long[2];
        ReserveObserver stopwatch = new ReserveObserver() {
            @Override
            public void tierStarted(int tier, long bytes, AllocationMethod method) {
                allocation[0] = System.nanoTime();
            }

            @Override
            public void tierArmed(int tier, long bytes) {
                allocation[1] = System.nanoTime();
            }
        };
        Reserve fallocating = Reserve.at(location, ReserveOptions.defaults("bench").withObserver(stopwatch));
        Reserve writing = Reserve.at(location, ReserveOptions.defaults("bench").withAllocationMode(AllocationMode.WRITE));

        // warm up: class loading, JNA, Jackson
        fallocating.arm(TierPlan.split(16 * MIB, 1), ArmPolicy.unconditional(), Trigger.MANUAL, "warm-up");
        fallocating.release(ReleaseRequest.all(), Trigger.MANUAL, "warm-up");

        System.out.printf(Locale.ROOT, "filesystem: %s, %d runs each, times in ms (median)%n",
                Files.getFileStore(dir), runs);
        List<String> summary = new ArrayList<>();
        for (long size : new long[] {1024 * MIB, 4096 * MIB}) {
            double[] lib = new double[runs];
            double[] tool = new double[runs];
            double[] allocOnly = new double[runs];
            double[] toolSynced = new double[runs];
            double[] release = new double[runs];
            for (int r = 0; r < runs; r++) {
                lib[r] = millis(() -> fallocating.arm(TierPlan.split(size, 1), ArmPolicy.unconditional(),
                        Trigger.MANUAL, "bench"));
                allocOnly[r] = (allocation[1] - allocation[0]) / 1e6;
                check(fallocating.status().armedBytes() == size, "library armed " + size);
                release[r] = millis(() -> fallocating.release(ReleaseRequest.tiers(1), Trigger.MANUAL, "bench"));
                sync();
                Path file = dir.resolve("fallocate-tool.bin");
                tool[r] = millis(() -> run("fallocate", "-l", Long.toString(size), file.toString()));
                Files.delete(file);
                sync();
                toolSynced[r] = millis(() -> run("sh", "-c", "fallocate -l " + size + " " + file + " && sync " + file));
                Files.delete(file);
                sync();
            }
            String label = (size / MIB) + " MiB";
            System.out.println("runs arm " + label + ": library " + Arrays.toString(round(lib)) + " (allocation step "
                    + Arrays.toString(round(allocOnly)) + ") fallocate(1) " + Arrays.toString(round(tool))
                    + " fallocate(1)+sync(1) " + Arrays.toString(round(toolSynced)) + " release " + Arrays.toString(round(release)));
            summary.add(String.format(Locale.ROOT, "arm %-8s library arm() %6.1f  fallocate(1) %6.1f  ratio %.2f | "
                            + "allocation step %6.1f  ratio %.2f | fallocate(1)+sync(1) %6.1f  ratio %.2f",
                    label, median(lib), median(tool), median(lib) / median(tool), median(allocOnly),
                    median(allocOnly) / median(tool), median(toolSynced), median(lib) / median(toolSynced)));
            summary.add(String.format(Locale.ROOT, "release one %-8s tier: %8.1f", label, median(release)));
        }
        double[] libWrite = new double[runs];
        double[] dd = new double[runs];
        for (int r = 0; r < runs; r++) {
            libWrite[r] = millis(() -> writing.arm(TierPlan.split(writeBytes, 1), ArmPolicy.unconditional(),
                    Trigger.MANUAL, "bench"));
            check(writing.status().tiers().get(0).method() == AllocationMethod.WRITE, "write path used");
            writing.release(ReleaseRequest.all(), Trigger.MANUAL, "bench");
            sync();
            Path file = dir.resolve("dd.bin");
            dd[r] = millis(() -> run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=" + writeBytes / MIB,
                    "conv=fsync", "status=none"));
            Files.delete(file);
            sync();
        }
        System.out.println("runs write " + writeBytes / MIB + " MiB: library " + Arrays.toString(round(libWrite))
                + " dd " + Arrays.toString(round(dd)));
        double libMbps = writeBytes / MIB / (median(libWrite) / 1000);
        double ddMbps = writeBytes / MIB / (median(dd) / 1000);
        summary.add(String.format(Locale.ROOT,
                "write %d MiB unthrottled: library %8.1f (%.0f MiB/s)  dd if=/dev/zero conv=fsync %8.1f (%.0f MiB/s)  "
                        + "throughput ratio %.2f", writeBytes / MIB, median(libWrite), libMbps, median(dd), ddMbps,
                libMbps / ddMbps));
        summary.forEach(System.out::println);
    }

    private static double millis(Callable<?> work) throws Exception {
        long start = System.nanoTime();
        work.call();
        return (System.nanoTime() - start) / 1e6;
    }

    private static Object run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        int code = p.waitFor();
        check(code == 0, String.join(" ", command) + " exited " + code);
        return code;
    }

    private static void sync() throws IOException, InterruptedException {
        run("sync");
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
