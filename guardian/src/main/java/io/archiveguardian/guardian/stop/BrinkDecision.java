package io.archiveguardian.guardian.stop;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Pure: the last two steps of the pressure ladder for a running broker, decided on every guard tick.
 * A filesystem is at the brink when it would be full, at the recent write rate, before a clean
 * shutdown could finish (shutdown time plus margin), or when its usable space is below what a clean
 * shutdown writes. When every filesystem holding an online log dir of the broker is at the brink:
 * release one ballast tier where that keeps what a start after a clean stop needs (it buys time),
 * else stop the broker cleanly, releasing a tier first where the shutdown itself lacks room. Never
 * on a broker that is not RUNNING (UNKNOWN included), never on a failed measurement, at most one
 * stop per cooldown.
 */
public final class BrinkDecision {

    private BrinkDecision() {
    }

    public enum Action { NONE, RELEASE, STOP }

    /** Why a filesystem is at the brink; the label is the {@code reason} of {@code guardian_broker_stops_total}. */
    public enum Reason {
        TIME_TO_FULL, MIN_USABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One filesystem as the guard tick measured it.
     *
     * @param usableBytes           empty when the measurement failed
     * @param bytesPerSecond        the recent write rate; empty until the window holds two samples
     * @param armedBallastBytes     armed ballast on it
     * @param largestArmedTierBytes what one release frees at most
     * @param cleanStartNeedBytes   what a start after a clean stop needs here (empty: not assessed yet)
     * @param budgetedBytes         what is left of the space the last start was assessed to need (its
     *                              recovery and catch-up) since the broker started again; empty when none
     */
    public record Disk(String mount, List<String> logDirs, OptionalLong usableBytes, OptionalDouble bytesPerSecond,
                       long armedBallastBytes, long largestArmedTierBytes, OptionalLong cleanStartNeedBytes,
                       OptionalLong budgetedBytes) {

        public Disk {
            logDirs = List.copyOf(logDirs);
        }

        public Disk(String mount, List<String> logDirs, OptionalLong usableBytes, OptionalDouble bytesPerSecond,
                    long armedBallastBytes, long largestArmedTierBytes, OptionalLong cleanStartNeedBytes) {
            this(mount, logDirs, usableBytes, bytesPerSecond, armedBallastBytes, largestArmedTierBytes,
                    cleanStartNeedBytes, OptionalLong.empty());
        }
    }

    /** Everything the decision reads. {@code lastStop} is null when the guardian never stopped this broker. */
    public record Facts(boolean enabled, BrokerState brokerState, List<Disk> disks, Duration shutdownTime,
                        Duration margin, long minUsableBytes, Instant now, Instant lastStop, Duration cooldown,
                        boolean stopInProgress) {

        public Facts {
            disks = List.copyOf(disks);
        }
    }

    /**
     * @param mounts       the filesystems at the brink (for RELEASE: those with a tier to release)
     * @param releaseFirst for STOP: the filesystems whose usable space is below what the shutdown writes and
     *                     that have a tier to release first
     */
    public record Decision(Action action, Reason reason, List<String> mounts, List<String> releaseFirst, String detail) {

        public Decision {
            mounts = List.copyOf(mounts);
            releaseFirst = List.copyOf(releaseFirst);
        }

        static Decision none(String detail) {
            return new Decision(Action.NONE, null, List.of(), List.of(), detail);
        }
    }

    public static Decision decide(Facts f) {
        if (!f.enabled()) {
            return Decision.none("stop.enabled=false: the guardian never stops the broker");
        }
        if (f.stopInProgress()) {
            return Decision.none("a stop is in progress");
        }
        if (f.brokerState() != BrokerState.RUNNING) {
            return Decision.none("the broker is " + f.brokerState() + ": only a broker seen RUNNING is ever stopped");
        }
        if (f.disks().isEmpty()) {
            return Decision.none("no filesystem measured yet");
        }
        for (Disk d : f.disks()) {
            if (d.usableBytes().isEmpty()) {
                return Decision.none("the usable space of " + d.mount() + " could not be read: no stop on a failed measurement");
            }
        }
        Duration window = f.shutdownTime().plus(f.margin());
        List<String> brink = new ArrayList<>();
        List<String> details = new ArrayList<>();
        boolean belowMin = false;
        for (Disk d : f.disks()) {
            long usable = d.usableBytes().getAsLong();
            if (usable < f.minUsableBytes()) {
                belowMin = true;
                brink.add(d.mount());
                details.add(d.mount() + ": usable " + Sizes.human(usable) + " < stop.min.usable.bytes " + Sizes.human(f.minUsableBytes()));
                continue;
            }
            OptionalDouble toFull = secondsToFull(d);
            if (budgetFits(d)) {
                // A restart's recovery and catch-up write fast and then end: what was assessed for them
                // still fits, so their rate says nothing about a disk that fills for good.
                continue;
            }
            if (toFull.isPresent() && toFull.getAsDouble() < window.toMillis() / 1000.0) {
                brink.add(d.mount());
                details.add(d.mount() + ": full in " + Durations.human(toFull.getAsDouble()) + " at "
                        + Sizes.human((long) d.bytesPerSecond().getAsDouble()) + "/s, a clean shutdown needs "
                        + Durations.human(window));
            }
        }
        if (brink.isEmpty()) {
            return Decision.none("no filesystem of the broker is at the brink");
        }
        for (Disk d : f.disks()) {
            if (!brink.contains(d.mount()) && !d.logDirs().isEmpty()) {
                return Decision.none("log dir " + d.logDirs().get(0) + " on " + d.mount() + " still has room: Kafka takes "
                        + "only a full log dir offline and the broker goes on (" + String.join("; ", details) + ")");
            }
        }
        Reason reason = belowMin ? Reason.MIN_USABLE : Reason.TIME_TO_FULL;
        List<String> releasable = f.disks().stream().filter(BrinkDecision::releasableAboveCleanStart).map(Disk::mount).toList();
        if (!releasable.isEmpty()) {
            return new Decision(Action.RELEASE, reason, releasable, List.of(), "released a ballast tier to buy time: "
                    + String.join("; ", details));
        }
        if (f.lastStop() != null && f.now().isBefore(f.lastStop().plus(f.cooldown()))) {
            return Decision.none("at the brink, but the guardian stopped this broker at " + f.lastStop()
                    + " and stops it at most once per stop.cooldown.ms (" + String.join("; ", details) + ")");
        }
        List<String> first = f.disks().stream()
                .filter(d -> d.usableBytes().getAsLong() < f.minUsableBytes() && d.largestArmedTierBytes() > 0)
                .map(Disk::mount).toList();
        return new Decision(Action.STOP, reason, brink, first, "stopping the broker cleanly before its disk fills: "
                + String.join("; ", details));
    }

    /**
     * The rest of the last start's assessed writes fits in the usable space (the assessment has its
     * own margin). Below what a clean shutdown writes the brink holds all the same.
     */
    static boolean budgetFits(Disk d) {
        return d.budgetedBytes().isPresent() && d.budgetedBytes().getAsLong() > 0
                && d.usableBytes().getAsLong() >= d.budgetedBytes().getAsLong();
    }

    /** Usable / rate, when the rate is known and positive. */
    static OptionalDouble secondsToFull(Disk d) {
        if (d.bytesPerSecond().isEmpty() || d.bytesPerSecond().getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(d.usableBytes().getAsLong() / d.bytesPerSecond().getAsDouble());
    }

    /** A tier can go and the armed ballast left still covers a start after a clean stop. */
    static boolean releasableAboveCleanStart(Disk d) {
        if (d.largestArmedTierBytes() <= 0 || d.cleanStartNeedBytes().isEmpty()) {
            return false;
        }
        return d.armedBallastBytes() - d.largestArmedTierBytes() >= d.cleanStartNeedBytes().getAsLong();
    }
}
