package io.archiveguardian.reserve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM that works on a reserve, so tests can kill it with SIGKILL at a known point or
 * let two processes race. Prints one line per event on stdout:
 * {@code PROGRESS <tier> <done>}, {@code RELEASED <tier>}, {@code DONE ...}, {@code LOCKED <message>}.
 *
 * <pre>
 * arm     LOGDIR TOTAL_BYTES TIERS MODE RATE   arms (MODE: AUTO|WRITE, RATE bytes/s, 0 = unlimited)
 * release LOGDIR PAUSE_AFTER_TIER              releases all, sleeping after tier PAUSE_AFTER_TIER's file is gone
 * </pre>
 */
public final class ReserveChildMain {

    private ReserveChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path logDir = Path.of(args[1]);
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir));
        switch (args[0]) {
            case "arm" -> arm(location, Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    AllocationMode.valueOf(args[4]), Long.parseLong(args[5]));
            case "release" -> release(location, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void arm(ReserveLocation location, long total, int tiers, AllocationMode mode, long rate) {
        ReserveObserver printer = new ReserveObserver() {
            @Override
            public void tierProgress(int tier, long doneBytes, long totalBytes) {
                System.out.println("PROGRESS " + tier + " " + doneBytes);
                System.out.flush();
            }
        };
        ReserveOptions options = ReserveOptions.defaults("child arm").withAllocationMode(mode).withWriteRate(rate)
                .withLockTimeout(Duration.ofSeconds(120)).withObserver(printer);
        try {
            ArmResult result = Reserve.at(location, options)
                    .arm(TierPlan.split(total, tiers), ArmPolicy.unconditional(), Trigger.MANUAL, "child arm");
            System.out.println("DONE armed=" + result.armedTiers() + " bytes=" + result.armedBytes());
            result.incomplete().ifPresent(i -> System.out.println("INCOMPLETE " + i));
        } catch (ReserveLockedException e) {
            System.out.println("LOCKED " + e.getMessage());
        }
        System.out.flush();
    }

    private static void release(ReserveLocation location, int pauseAfterTier) throws InterruptedException {
        ReserveObserver pauser = new ReserveObserver() {
            @Override
            public void tierReleased(int tier, long bytes) {
                System.out.println("RELEASED " + tier);
                System.out.flush();
                if (tier == pauseAfterTier) {
                    try {
                        Thread.sleep(Duration.ofMinutes(5).toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        ReserveOptions options = ReserveOptions.defaults("child release").withObserver(pauser);
        ReleaseResult result = Reserve.at(location, options).release(ReleaseRequest.all(), Trigger.MANUAL, "child release");
        System.out.println("DONE released=" + result.releasedTiers());
        System.out.flush();
    }
}
