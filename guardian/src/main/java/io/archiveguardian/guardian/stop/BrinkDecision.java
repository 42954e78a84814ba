package io.archiveguardian.guardian.stop;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Pure: the last two steps of the pressure ladder for a running broker, decided on every guard tick.
 * A filesystem is at the brink when it would be full, at the recent write rate, before a clean
 * shutdown could finish (shutdown time plus margin), or when its usable space is below what a clean
 * shutdown writes. When every filesystem holding an online log dir of the broker is at the brink (a log
 * dir Kafka took offline makes no room and does not count; a sibling that is online and not at the brink
 * does: Kafka would take only the full dir offline and go on, and the move step makes room there first):
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

    /**
     * Everything the decision reads. {@code lastStop} is null when the guardian never stopped this broker.
     *
     * @param offlineLogDirs log dirs of a running broker whose {@code .lock} the broker no longer holds: Kafka
     *                       released it when it took the dir offline after an I/O error. They make no room
     *                       for the broker, and their filesystem's measurement does not matter.
     */
    public record Facts(boolean enabled, BrokerState brokerState, List<Disk> disks, Duration shutdownTime,
                        Duration margin, long minUsableBytes, Instant now, Instant lastStop, Duration cooldown,
                        boolean stopInProgress, Set<String> offlineLogDirs) {

        public Facts {
            disks = List.copyOf(disks);
            offlineLogDirs = Set.copyOf(offlineLogDirs);
        }

        public Facts(boolean enabled, BrokerState brokerState, List<Disk> disks, Duration shutdownTime,
                     Duration margin, long minUsableBytes, Instant now, Instant lastStop, Duration cooldown,
                     boolean stopInProgress) {
            this(enabled, brokerState, disks, shutdownTime, margin, minUsableBytes, now, lastStop, cooldown,
                    stopInProgress, Set.of());
        }

        /** The log dirs of {@code d} the broker still serves. */
        public List<String> onlineLogDirs(Disk d) {
            return d.logDirs().stream().filter(dir -> !offlineLogDirs.contains(dir)).toList();
        }

        /** The filesystems that hold at least one log dir the broker still serves: the only ones that matter. */
        public List<Disk> servedDisks() {
            return disks.stream().filter(d -> !onlineLogDirs(d).isEmpty()).toList();
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
        List<Disk> served = f.servedDisks();
        if (served.isEmpty()) {
            return Decision.none(f.disks().isEmpty() ? "no filesystem measured yet" : "no log dir of the broker is online");
        }
        for (Disk d : served) {
            if (d.usableBytes().isEmpty()) {
                return Decision.none("the usable space of " + d.mount() + " could not be read: no stop on a failed measurement");
            }
        }
        Map<String, String> atBrink = brink(f);
        if (atBrink.isEmpty()) {
            return Decision.none("no filesystem of the broker is at the brink");
        }
        List<String> brink = List.copyOf(atBrink.keySet());
        String details = String.join("; ", atBrink.values());
        for (Disk d : served) {
            if (!atBrink.containsKey(d.mount())) {
                // The step above the stop (moving replicas there) is for this case; the stop waits.
                return Decision.none("log dir " + f.onlineLogDirs(d).get(0) + " on " + d.mount() + " still has room: Kafka "
                        + "takes only a full log dir offline and the broker goes on (" + details + ")");
            }
        }
        boolean belowMin = served.stream().anyMatch(d -> d.usableBytes().getAsLong() < f.minUsableBytes());
        Reason reason = belowMin ? Reason.MIN_USABLE : Reason.TIME_TO_FULL;
        List<String> releasable = served.stream().filter(BrinkDecision::releasableAboveCleanStart).map(Disk::mount).toList();
        if (!releasable.isEmpty()) {
            return new Decision(Action.RELEASE, reason, releasable, List.of(), "released a ballast tier to buy time: "
                    + details);
        }
        if (f.lastStop() != null && f.now().isBefore(f.lastStop().plus(f.cooldown()))) {
            return Decision.none("at the brink, but the guardian stopped this broker at " + f.lastStop()
                    + " and stops it at most once per stop.cooldown.ms (" + details + ")");
        }
        List<String> first = served.stream()
                .filter(d -> d.usableBytes().getAsLong() < f.minUsableBytes() && d.largestArmedTierBytes() > 0)
                .map(Disk::mount).toList();
        return new Decision(Action.STOP, reason, brink, first, "stopping the broker cleanly before its disk fills: "
                + details);
    }

    /**
     * The filesystems that hold an online log dir of the broker and are at the brink, each with why, in
     * the order of the facts: usable space below {@code minUsableBytes}, or full at the recent rate before
     * a clean shutdown plus margin could finish (unless a restart's assessed writes still fit). A
     * filesystem whose usable space could not be read is not at the brink. The move step reads this too:
     * it never moves a replica onto a filesystem at the brink.
     */
    public static Map<String, String> brink(Facts f) {
        Duration window = f.shutdownTime().plus(f.margin());
        Map<String, String> brink = new LinkedHashMap<>();
        for (Disk d : f.servedDisks()) {
            if (d.usableBytes().isEmpty()) {
                continue;
            }
            long usable = d.usableBytes().getAsLong();
            if (usable < f.minUsableBytes()) {
                brink.put(d.mount(), d.mount() + ": usable " + Sizes.human(usable) + " < stop.min.usable.bytes "
                        + Sizes.human(f.minUsableBytes()));
                continue;
            }
            if (budgetFits(d)) {
                // A restart's recovery and catch-up write fast and then end: what was assessed for them
                // still fits, so their rate says nothing about a disk that fills for good.
                continue;
            }
            OptionalDouble toFull = secondsToFull(d);
            if (toFull.isPresent() && toFull.getAsDouble() < window.toMillis() / 1000.0) {
                brink.put(d.mount(), d.mount() + ": full in " + Durations.human(toFull.getAsDouble()) + " at "
                        + Sizes.human((long) d.bytesPerSecond().getAsDouble()) + "/s, a clean shutdown needs "
                        + Durations.human(window));
            }
        }
        return brink;
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
