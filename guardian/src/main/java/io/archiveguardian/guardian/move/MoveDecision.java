package io.archiveguardian.guardian.move;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.disk.PressureAssessor;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.disk.PressureThresholds;
import io.archiveguardian.guardian.disk.SpaceSample;
import io.archiveguardian.guardian.text.Sizes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Pure: which replicas of a running broker to move to a sibling log dir on another filesystem
 * ({@code alterReplicaLogDirs}), the ladder's step between the cordon and the ballast release.
 *
 * <p>The rule (docs/move.md):
 * <ul>
 *   <li>A <b>source</b> is a filesystem holding an online log dir of the broker whose pressure has
 *       reached {@code cordon.level}, or that is at the brink of the clean stop (full at the recent
 *       rate before a clean shutdown could finish).</li>
 *   <li>A <b>destination</b> is an online, uncordoned log dir of the broker on another filesystem that
 *       is below {@code cordon.level} and not at the brink, and stays below {@code cordon.level} (the
 *       strict level, no hysteresis) once every byte sent there (this round's and the copies in flight)
 *       has arrived. Never a cordoned dir, an offline dir, or a dir on the source's filesystem.</li>
 *   <li>A source sheds replicas until it would be back below {@code warn} (where the cordon is lifted),
 *       counting what is already leaving it: replicas with a future replica elsewhere, and the
 *       {@code -delete} directories the broker frees after {@code file.delete.delay.ms}. A source at
 *       the brink sheds one more replica whenever none is on its way out, whatever its space: there
 *       the write rate is the trouble, and deleted copies come back only after that delay.</li>
 *   <li>Replicas are taken largest first (the most relief per move), skipping one that fits no
 *       destination or the budget and trying the next smaller; each goes to the destination with the
 *       most room left below {@code cordon.level}. Empty replicas relieve nothing and stay.</li>
 *   <li>A replica that already has a future replica (a move in flight, the guardian's or anyone's), that
 *       the broker reports in two dirs (mid-swap), or whose move the guardian saw complete moments ago,
 *       is never picked.</li>
 *   <li>Budget: the bytes of the replicas picked plus those of every move in flight stay within
 *       {@code move.budget.bytes}; a replica larger than the budget is moved alone, when nothing else
 *       is in flight.</li>
 *   <li>Nothing while the broker is not RUNNING, nor without the cluster's answer.</li>
 * </ul>
 * Consistency with the stop ({@code stop.BrinkDecision}): the stop waits while any online log dir
 * is on a filesystem not at the brink; a destination is never at the brink. So when the stop fires,
 * this step has no destination left, and while this step has one, the broker is not stopped.
 */
public final class MoveDecision {

    private MoveDecision() {
    }

    /** What the last round found; the {@code replica-move} event's state. */
    public enum State {
        /** move.enabled=false. */
        OFF,
        /** The broker is not running or the cluster cannot be asked. */
        WAITING,
        /** No log dir needs relief (or what leaves is enough). */
        IDLE,
        /** Moves were requested this round, or are in flight. */
        MOVING,
        /** A log dir needs relief and no sibling can take any of its replicas. */
        BLOCKED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One log dir of the broker.
     *
     * @param online   the broker holds its lock and reports no error for it
     * @param cordoned KIP-1066: the broker reports it cordoned
     */
    public record LogDir(String path, String mount, boolean online, boolean cordoned) {
    }

    /**
     * One filesystem that holds log dirs of the broker.
     *
     * @param space         statvfs sizes and the ballast on it
     * @param level         the watch duty's pressure level (with its hysteresis); null when not assessed
     * @param brink         why the filesystem is at the brink of the clean stop; null when it is not
     * @param deletingBytes bytes in {@code -delete} directories on it: replaced replicas the broker frees
     *                      after {@code file.delete.delay.ms}
     */
    public record Filesystem(String mount, SpaceSample space, PressureLevel level, String brink, long deletingBytes) {
    }

    /** One replica as the broker reports it ({@code describeLogDirs}): size of its segments, future or not. */
    public record Replica(TopicPartition partition, String logDir, long sizeBytes, boolean future) {
    }

    /**
     * Everything the decision reads.
     *
     * @param clusterProblem why the cluster could not be asked this round; null when it answered
     * @param settling       replicas whose move the guardian saw complete moments ago: never picked again
     *                       until the broker's answers have settled (describeLogDirs can show a replica in
     *                       both dirs while the broker swaps the future in)
     */
    public record Facts(boolean enabled, BrokerState brokerState, String clusterProblem, List<LogDir> logDirs,
                        List<Filesystem> filesystems, List<Replica> replicas, PressureThresholds thresholds,
                        PressureLevel cordonLevel, long budgetBytes, Set<TopicPartition> settling) {

        public Facts {
            logDirs = List.copyOf(logDirs);
            filesystems = List.copyOf(filesystems);
            replicas = List.copyOf(replicas);
            settling = Set.copyOf(settling);
        }

        /** Facts with nothing settling. */
        public Facts(boolean enabled, BrokerState brokerState, String clusterProblem, List<LogDir> logDirs,
                     List<Filesystem> filesystems, List<Replica> replicas, PressureThresholds thresholds,
                     PressureLevel cordonLevel, long budgetBytes) {
            this(enabled, brokerState, clusterProblem, logDirs, filesystems, replicas, thresholds, cordonLevel, budgetBytes,
                    Set.of());
        }
    }

    /** One replica to move: {@code bytes} is its size when picked. */
    public record Move(TopicPartition partition, String fromDir, String toDir, long bytes) {
    }

    public record Decision(State state, List<Move> moves, String detail) {

        public Decision {
            moves = List.copyOf(moves);
        }

        static Decision of(State state, String detail) {
            return new Decision(state, List.of(), detail);
        }

        public long bytes() {
            return moves.stream().mapToLong(Move::bytes).sum();
        }
    }

    public static Decision decide(Facts f) {
        if (!f.enabled()) {
            return Decision.of(State.OFF, "move.enabled=false: replicas are never moved between log dirs");
        }
        if (f.brokerState() != BrokerState.RUNNING) {
            return Decision.of(State.WAITING, "the broker is " + f.brokerState() + ": replicas are moved only while it runs");
        }
        if (f.clusterProblem() != null) {
            return Decision.of(State.WAITING, "the cluster cannot be asked (" + f.clusterProblem()
                    + "): replicas are moved only on its answer");
        }
        Map<String, Filesystem> fs = new LinkedHashMap<>();
        f.filesystems().forEach(x -> fs.put(x.mount(), x));
        Map<String, LogDir> dirs = new LinkedHashMap<>();
        f.logDirs().forEach(d -> dirs.put(d.path(), d));
        Set<String> servedMounts = new LinkedHashSet<>();
        f.logDirs().stream().filter(LogDir::online).forEach(d -> servedMounts.add(d.mount()));

        Map<TopicPartition, Replica> futures = new HashMap<>();
        Map<TopicPartition, Replica> current = new LinkedHashMap<>();
        Set<TopicPartition> swapping = new java.util.HashSet<>();
        for (Replica r : f.replicas()) {
            if (!r.future() && current.containsKey(r.partition())) {
                swapping.add(r.partition()); // current in two dirs: the broker is swapping a future in
            }
            (r.future() ? futures : current).put(r.partition(), r);
        }
        long inFlight = 0;
        Map<String, Long> arriving = new HashMap<>();
        Map<String, Long> leaving = new HashMap<>();
        for (Replica future : futures.values()) {
            Replica from = current.get(future.partition());
            long size = from == null ? future.sizeBytes() : from.sizeBytes();
            inFlight += size;
            arriving.merge(mountOf(dirs, future.logDir()), Math.max(0, size - future.sizeBytes()), Long::sum);
            if (from != null) {
                leaving.merge(mountOf(dirs, from.logDir()), from.sizeBytes(), Long::sum);
            }
        }
        String moving = futures.isEmpty() ? "" : futures.size() + " replica" + (futures.size() == 1 ? "" : "s")
                + " moving (" + Sizes.human(inFlight) + " in flight)";

        List<Filesystem> sources = f.filesystems().stream()
                .filter(x -> servedMounts.contains(x.mount()) && needsRelief(x, f.cordonLevel()))
                .sorted(Comparator.comparingDouble((Filesystem x) -> x.space().usedRatio()).reversed())
                .toList();
        if (sources.isEmpty()) {
            return idleOrMoving(moving, "no log dir of the broker is at cordon.level " + f.cordonLevel().label()
                    + " or at the brink");
        }
        if (servedMounts.size() < 2) {
            return idleOrMoving(moving, "every online log dir of the broker is on " + String.join(", ", servedMounts)
                    + ": no other filesystem to move replicas to (this step is for JBOD)");
        }

        Map<String, Long> added = new HashMap<>(arriving);
        List<Move> picks = new ArrayList<>();
        long picked = 0;
        List<String> notes = new ArrayList<>();
        boolean unmet = false;
        for (Filesystem src : sources) {
            String why = src.brink() != null ? "at the brink (" + src.brink() + ")"
                    : "at " + src.level().label() + " (cordon.level " + f.cordonLevel().label() + ")";
            long leavingHere = src.deletingBytes() + leaving.getOrDefault(src.mount(), 0L);
            long need = bytesToBelowWarn(src.space(), f.thresholds()) - leavingHere;
            if (src.brink() != null && !leaving.containsKey(src.mount())) {
                // At the brink the rate is the trouble, and deleted copies come back only after
                // file.delete.delay.ms: one more replica goes whenever none is on its way out.
                need = Math.max(need, 1);
            }
            if (need <= 0) {
                notes.add(src.mount() + " " + why + ": enough is leaving it (" + Sizes.human(leavingHere)
                        + " moving or being deleted)");
                continue;
            }
            List<LogDir> destinations = destinations(f, fs, src.mount(), added);
            if (destinations.isEmpty()) {
                unmet = true;
                notes.add(src.mount() + " " + why + ", " + Sizes.human(need) + " to move: no sibling log dir can take "
                        + "replicas (" + whyNot(f, fs, src.mount()) + ")");
                continue;
            }
            List<Replica> candidates = current.values().stream()
                    .filter(r -> src.mount().equals(mountOf(dirs, r.logDir())) && dirs.get(r.logDir()) != null
                            && dirs.get(r.logDir()).online() && !futures.containsKey(r.partition())
                            && !swapping.contains(r.partition()) && !f.settling().contains(r.partition()) && r.sizeBytes() > 0)
                    .sorted(Comparator.comparingLong(Replica::sizeBytes).reversed()
                            .thenComparing(r -> r.partition().toString()))
                    .toList();
            int overBudget = 0;
            int noRoom = 0;
            for (Replica r : candidates) {
                if (need <= 0) {
                    break;
                }
                boolean alone = inFlight == 0 && picks.isEmpty();
                if (!alone && inFlight + picked + r.sizeBytes() > f.budgetBytes()) {
                    overBudget++;
                    continue;
                }
                Optional<LogDir> to = roomiest(f, fs, destinations, added, r.sizeBytes());
                if (to.isEmpty()) {
                    noRoom++;
                    continue;
                }
                picks.add(new Move(r.partition(), r.logDir(), to.get().path(), r.sizeBytes()));
                picked += r.sizeBytes();
                added.merge(to.get().mount(), r.sizeBytes(), Long::sum);
                need -= r.sizeBytes();
            }
            if (need > 0) {
                unmet = true;
                List<String> held = new ArrayList<>();
                if (overBudget > 0) {
                    held.add(overBudget + " held back by move.budget.bytes " + Sizes.human(f.budgetBytes()) + " ("
                            + Sizes.human(inFlight) + " in flight)");
                }
                if (noRoom > 0) {
                    held.add(noRoom + " would take a destination to cordon.level " + f.cordonLevel().label());
                }
                if (candidates.isEmpty()) {
                    held.add("no replica left to move");
                }
                notes.add(src.mount() + " " + why + ": " + Sizes.human(need) + " more to move, " + String.join("; ", held));
            }
        }
        String detail = String.join("; ", notes);
        if (!picks.isEmpty()) {
            String what = picks.size() + " replica" + (picks.size() == 1 ? "" : "s") + " (" + Sizes.human(picked) + ")";
            return new Decision(State.MOVING, picks, "moving " + what + ": " + describe(picks)
                    + (detail.isEmpty() ? "" : "; " + detail) + (moving.isEmpty() ? "" : "; " + moving));
        }
        if (!moving.isEmpty()) {
            return Decision.of(State.MOVING, moving + (detail.isEmpty() ? "" : "; " + detail));
        }
        return Decision.of(unmet ? State.BLOCKED : State.IDLE, detail);
    }

    private static Decision idleOrMoving(String moving, String detail) {
        return moving.isEmpty() ? Decision.of(State.IDLE, detail) : Decision.of(State.MOVING, moving + "; " + detail);
    }

    static boolean needsRelief(Filesystem x, PressureLevel cordonLevel) {
        return x.brink() != null || (x.level() != null && x.level().compareTo(cordonLevel) >= 0);
    }

    private static String mountOf(Map<String, LogDir> dirs, String logDir) {
        LogDir d = dirs.get(logDir);
        return d == null ? "" : d.mount();
    }

    /** Online, uncordoned log dirs on other filesystems below cordon.level and not at the brink. */
    private static List<LogDir> destinations(Facts f, Map<String, Filesystem> fs, String sourceMount, Map<String, Long> added) {
        return f.logDirs().stream().filter(d -> reasonNotDestination(f, fs, sourceMount, d, added).isEmpty()).toList();
    }

    private static Optional<String> reasonNotDestination(Facts f, Map<String, Filesystem> fs, String sourceMount, LogDir d,
                                                         Map<String, Long> added) {
        Filesystem x = fs.get(d.mount());
        if (d.mount().equals(sourceMount)) {
            return Optional.of("the same filesystem");
        }
        if (!d.online()) {
            return Optional.of("offline");
        }
        if (d.cordoned()) {
            return Optional.of("cordoned");
        }
        if (x == null || x.level() == null) {
            return Optional.of("its pressure is not assessed yet");
        }
        if (x.brink() != null) {
            return Optional.of("at the brink");
        }
        if (x.level().compareTo(f.cordonLevel()) >= 0) {
            return Optional.of("at " + x.level().label());
        }
        if (!fits(x, added.getOrDefault(d.mount(), 0L), f)) {
            return Optional.of("the copies in flight take it to cordon.level " + f.cordonLevel().label());
        }
        return Optional.empty();
    }

    private static String whyNot(Facts f, Map<String, Filesystem> fs, String sourceMount) {
        List<String> out = new ArrayList<>();
        for (LogDir d : f.logDirs()) {
            if (!d.mount().equals(sourceMount)) {
                reasonNotDestination(f, fs, sourceMount, d, Map.of()).ifPresent(r -> out.add(d.path() + " " + r));
            }
        }
        return out.isEmpty() ? "no other log dir" : String.join(", ", out);
    }

    /** The destination with the most room below cordon.level once {@code bytes} more arrive, if any can take them. */
    private static Optional<LogDir> roomiest(Facts f, Map<String, Filesystem> fs, List<LogDir> destinations,
                                             Map<String, Long> added, long bytes) {
        LogDir best = null;
        long bestRoom = Long.MIN_VALUE;
        for (LogDir d : destinations) {
            Filesystem x = fs.get(d.mount());
            long extra = added.getOrDefault(d.mount(), 0L) + bytes;
            if (!fits(x, extra, f)) {
                continue;
            }
            long room = x.space().usableBytes() - extra;
            if (room > bestRoom) {
                best = d;
                bestRoom = room;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The filesystem's strict level once {@code extra} bytes more are written is below cordon.level. */
    static boolean fits(Filesystem x, long extra, Facts f) {
        SpaceSample s = x.space();
        if (extra > s.usableBytes()) {
            return false;
        }
        SpaceSample after = new SpaceSample(s.at(), s.totalBytes(), Math.max(0, s.freeBytes() - extra),
                s.usableBytes() - extra, s.ballastBytes());
        return PressureAssessor.assess(after, PressureLevel.OK, f.thresholds()).level().compareTo(f.cordonLevel()) < 0;
    }

    /** The fewest bytes whose removal brings the filesystem's strict level back below warn (ok). */
    static long bytesToBelowWarn(SpaceSample s, PressureThresholds t) {
        long lo = 0;
        long hi = s.usedBytes();
        if (belowWarn(s, 0, t)) {
            return 0;
        }
        if (!belowWarn(s, hi, t)) {
            return hi;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (belowWarn(s, mid, t)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static boolean belowWarn(SpaceSample s, long freed, PressureThresholds t) {
        SpaceSample after = new SpaceSample(s.at(), s.totalBytes(), s.freeBytes() + freed, s.usableBytes() + freed,
                Math.min(s.ballastBytes(), Math.max(0, s.usedBytes() - freed)));
        return PressureAssessor.assess(after, PressureLevel.OK, t).level() == PressureLevel.OK;
    }

    private static String describe(List<Move> moves) {
        List<String> parts = new ArrayList<>();
        for (Move m : moves.subList(0, Math.min(5, moves.size()))) {
            parts.add(m.partition() + " " + m.fromDir() + " -> " + m.toDir() + " (" + Sizes.human(m.bytes()) + ")");
        }
        return String.join(", ", parts) + (moves.size() > 5 ? ", and " + (moves.size() - 5) + " more" : "");
    }
}
