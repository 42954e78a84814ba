package io.archiveguardian.guardian.move;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.disk.SpaceSample;
import io.archiveguardian.guardian.disk.WatchSettings;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.logdir.PartitionKind;
import io.archiveguardian.guardian.logdir.PartitionScan;
import io.archiveguardian.guardian.move.MoveDecision.Decision;
import io.archiveguardian.guardian.move.MoveDecision.State;
import io.archiveguardian.guardian.move.MoveReport.LogDirReplicas;
import io.archiveguardian.guardian.move.MoveReport.MoveRecord;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.text.Sizes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ladder's step between the cordon and the ballast release, for a broker with log dirs on
 * several filesystems (JBOD): replicas leave a log dir whose filesystem reached {@code cordon.level}
 * (or the brink of the clean stop) for a sibling log dir of the same broker with room, through
 * {@code alterReplicaLogDirs}; the broker copies them while it runs. {@link MoveDecision} picks them.
 *
 * <p>It runs on a cluster lane of its own ({@value #LANE}, thread {@code guardian-move}) after each
 * pass, so no Admin call of it holds up the guard, the pass or the main cluster lane; every call is
 * bounded by {@code admin.timeout.ms}, and a cluster that does not answer makes the round
 * {@code waiting}, nothing more. The guard tick only hands it the lock state of each log dir. Each
 * round: describeLogDirs of this broker (replicas, futures, cordons, errors), the moves it asked for
 * reconciled against it, the decision, the throttle (when {@code move.throttle.bytes.per.second} is
 * set) and the moves.
 */
public final class MoveDuty implements Duty {

    public static final String LANE = "move";
    static final int PARTITIONS_LISTED = 500;
    static final int RECENT_KEPT = 20;
    /** A move whose future replica never showed up is given up after this. */
    static final Duration ABANDON_AFTER = Duration.ofSeconds(30);
    /** A replica whose move completed is not picked again for this long: the broker's answers settle first. */
    static final Duration SETTLE = Duration.ofSeconds(30);
    private static final List<String> OUTCOMES = List.of("requested", "refused", "completed", "abandoned");

    private static final Logger LOG = LoggerFactory.getLogger(MoveDuty.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final Supplier<Map<String, String>> brink;
    private final WatchSettings watch;
    private final PressureLevel cordonLevel;
    private volatile GuardTick lastTick;
    /** The guardian's own moves not ended yet, by partition; only the lane thread changes it. */
    private final Map<TopicPartition, MoveRecord> inFlight = new LinkedHashMap<>();
    private final Deque<MoveRecord> recent = new ArrayDeque<>();
    private volatile MoveReport latest;
    private volatile int brokerFutures;
    private volatile String throttle = "not read yet";
    private volatile MeterRegistry registry = new SimpleMeterRegistry();

    /**
     * @param brink the filesystems at the brink of the clean stop at the last guard tick (mount → why),
     *              as the stop duty measured them
     */
    public MoveDuty(GuardianSettings settings, Clock clock, Supplier<Map<String, String>> brink) {
        this.settings = settings;
        this.clock = clock;
        this.brink = brink;
        this.watch = WatchSettings.from(settings.config());
        this.cordonLevel = PressureLevel.valueOf(settings.config().getString(GuardianConfig.CORDON_LEVEL).trim()
                .toUpperCase(Locale.ROOT));
    }

    @Override
    public String name() {
        return "move";
    }

    @Override
    public String clusterLane() {
        return LANE;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : OUTCOMES) {
            moves(outcome);
            bytes(outcome);
        }
        Gauge.builder("guardian.replica.moves.blocked", this, d -> {
                    MoveReport r = d.latest;
                    return r != null && State.BLOCKED.label().equals(r.state()) ? 1 : 0;
                })
                .description("1 while the last move round was blocked: a log dir of this broker needs relief and no "
                        + "sibling log dir can take any of its replicas (all would reach cordon.level, or none is left).")
                .register(registry);
        Gauge.builder("guardian.replica.moves.in.flight", this, d -> d.brokerFutures)
                .description("Future replicas of this broker at the last move round: replicas being copied to another "
                        + "of its log dirs (alterReplicaLogDirs), the guardian's or anyone's.")
                .register(registry);
    }

    private Counter moves(String outcome) {
        return Counter.builder("guardian.replica.moves")
                .description("Replica moves between this broker's log dirs that the guardian asked for, by outcome: "
                        + "requested (the broker accepted), refused, completed (the broker reports the replica in its new "
                        + "log dir), abandoned (its future replica went away without completing).")
                .tags("outcome", outcome).register(registry);
    }

    private Counter bytes(String outcome) {
        return Counter.builder("guardian.replica.move.bytes").baseUnit("bytes")
                .description("Bytes of the replicas in guardian_replica_moves_total, by the same outcome, sized when asked.")
                .tags("outcome", outcome).register(registry);
    }

    @Override
    public boolean onGuardTick(GuardTick tick, PassFacts last) {
        lastTick = tick;
        return false;
    }

    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        MoveReport report;
        try {
            report = round(facts, session);
        } catch (GuardianException e) {
            report = report(State.WAITING.label(), e.getMessage(), List.of());
        }
        MoveReport previous = latest;
        latest = report;
        if (previous == null || !previous.state().equals(report.state())) {
            if (report.state().equals(State.BLOCKED.label())) {
                LOG.warn("replica moves blocked: {}", report.detail());
            } else {
                LOG.info("replica moves {}: {}", report.state(), report.detail());
            }
        }
        return List.of();
    }

    private MoveReport round(PassFacts facts, ClusterSession session) {
        boolean enabled = settings.config().getBoolean(GuardianConfig.MOVE_ENABLED);
        GuardTick tick = lastTick;
        BrokerState state = tick != null ? tick.now() : facts.brokerState();
        if (!enabled || state != BrokerState.RUNNING) {
            return decided(MoveDecision.decide(facts(enabled, state, null, facts, tick, Map.of())), List.of());
        }
        List<String> mounts = facts.observation().filesystems().stream().map(FilesystemObservation::mount).toList();
        if (mounts.size() < 2) {
            // Not JBOD (or one disk readable): nothing to move between, and nothing to ask the cluster.
            return report(State.IDLE.label(), "every log dir of the broker is on " + String.join(", ", mounts)
                    + ": no other filesystem to move replicas to (this step is for JBOD)", List.of());
        }
        if (settings.nodeId().isEmpty()) {
            return report(State.WAITING.label(), "the broker's node.id is unknown: give --broker-config or node.id", List.of());
        }
        Optional<Admin> admin = session.admin();
        if (admin.isEmpty()) {
            return decided(MoveDecision.decide(facts(true, state, session.problem(), facts, tick, Map.of())), List.of());
        }
        int brokerId = settings.nodeId().getAsInt();
        MoveAdmin kafka = new MoveAdmin(admin.get(), brokerId, session.timeout());
        Map<String, LogDirDescription> described;
        try {
            described = kafka.describeLogDirs();
        } catch (GuardianException e) {
            return decided(MoveDecision.decide(facts(true, state, e.getMessage(), facts, tick, Map.of())), List.of());
        }
        Map<String, LogDirDescription> byPath = byGuardianPath(described);
        reconcile(byPath);
        MoveDecision.Facts f = facts(true, state, null, facts, tick, byPath);
        Decision decision = MoveDecision.decide(f);
        List<LogDirReplicas> dirs = placement(f, byPath);
        if (decision.moves().isEmpty()) {
            return decided(decision, dirs);
        }
        long wanted = settings.config().getLong(GuardianConfig.MOVE_THROTTLE_BYTES_PER_SECOND);
        try {
            Optional<Long> current = kafka.throttle();
            if (wanted > 0 && !current.equals(Optional.of(wanted))) {
                kafka.setThrottle(wanted);
                LOG.info("set {}={} on broker {} (move.throttle.bytes.per.second)", MoveAdmin.THROTTLE, wanted, brokerId);
                current = Optional.of(wanted);
            }
            throttle = current.map(v -> Sizes.human(v) + "/s" + (wanted > 0 ? " (move.throttle.bytes.per.second)"
                    : " (the broker's setting)")).orElse("none (the broker's default)");
        } catch (GuardianException e) {
            if (wanted > 0) {
                return report(State.WAITING.label(), "move.throttle.bytes.per.second is set but the throttle could not be "
                        + "applied, so nothing is moved: " + e.getMessage(), dirs);
            }
            throttle = "unknown (" + e.getMessage() + ")";
        }
        request(kafka, brokerId, decision, described);
        return decided(decision, dirs);
    }

    /** Asks for the moves; the names of log dirs are the broker's own spelling. */
    private void request(MoveAdmin kafka, int brokerId, Decision decision, Map<String, LogDirDescription> described) {
        Map<TopicPartitionReplica, String> ask = new LinkedHashMap<>();
        Map<TopicPartitionReplica, MoveDecision.Move> byReplica = new LinkedHashMap<>();
        for (MoveDecision.Move m : decision.moves()) {
            TopicPartitionReplica r = new TopicPartitionReplica(m.partition().topic(), m.partition().partition(), brokerId);
            ask.put(r, brokerName(described, m.toDir()));
            byReplica.put(r, m);
        }
        Instant now = clock.instant();
        kafka.alterReplicaLogDirs(ask).forEach((r, refused) -> {
            MoveDecision.Move m = byReplica.get(r);
            if (refused.isEmpty()) {
                inFlight.put(m.partition(), new MoveRecord(m.partition().toString(), m.fromDir(), m.toDir(), m.bytes(), now,
                        null, "moving", null));
                count("requested", m.bytes());
                LOG.warn("moving replica {} of broker {} from {} to {} ({})", m.partition(), brokerId, m.fromDir(), m.toDir(),
                        Sizes.human(m.bytes()));
            } else {
                end(new MoveRecord(m.partition().toString(), m.fromDir(), m.toDir(), m.bytes(), now, now, "refused",
                        refused.get()));
                count("refused", m.bytes());
                LOG.error("the broker refused to move replica {} to {}: {}", m.partition(), m.toDir(), refused.get());
            }
        });
    }

    /** Ends the guardian's moves that the broker reports done, or whose future replica went away. */
    private void reconcile(Map<String, LogDirDescription> byPath) {
        Instant now = clock.instant();
        var it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            TopicPartition tp = e.getKey();
            MoveRecord m = e.getValue();
            boolean future = false;
            boolean arrived = false;
            for (var dir : byPath.entrySet()) {
                ReplicaInfo info = dir.getValue().replicaInfos().get(tp);
                if (info == null) {
                    continue;
                }
                future |= info.isFuture();
                arrived |= !info.isFuture() && dir.getKey().equals(m.to());
            }
            if (arrived && !future) {
                it.remove();
                end(new MoveRecord(m.partition(), m.from(), m.to(), m.bytes(), m.requestedAt(), now, "completed", null));
                count("completed", m.bytes());
                LOG.info("replica {} now lives in {} (moved from {})", tp, m.to(), m.from());
            } else if (!future && m.requestedAt().plus(ABANDON_AFTER).isBefore(now)) {
                it.remove();
                end(new MoveRecord(m.partition(), m.from(), m.to(), m.bytes(), m.requestedAt(), now, "abandoned",
                        "no future replica and not in " + m.to()));
                count("abandoned", m.bytes());
                LOG.warn("the move of replica {} to {} ended without completing", tp, m.to());
            }
        }
    }

    private void end(MoveRecord record) {
        recent.addLast(record);
        while (recent.size() > RECENT_KEPT) {
            recent.removeFirst();
        }
    }

    private void count(String outcome, long size) {
        moves(outcome).increment();
        bytes(outcome).increment(size);
    }

    /** The facts of one round: local (lock, space, pressure, brink, -delete dirs) and the broker's answer. */
    private MoveDecision.Facts facts(boolean enabled, BrokerState state, String clusterProblem, PassFacts pass,
                                     GuardTick tick, Map<String, LogDirDescription> byPath) {
        Map<String, String> brinkNow = brink.get();
        List<MoveDecision.LogDir> dirs = new ArrayList<>();
        List<MoveDecision.Filesystem> filesystems = new ArrayList<>();
        List<MoveDecision.Replica> replicas = new ArrayList<>();
        Map<String, Long> deleting = new LinkedHashMap<>();
        for (LogDirObservation o : pass.observation().logDirs()) {
            if (o.mount() != null && o.scan() != null) {
                long bytes = o.scan().special().stream().filter(p -> p.kind() == PartitionKind.DELETE)
                        .map(PartitionScan::total).mapToLong(s -> s.allocatedBytes()).sum();
                deleting.merge(o.mount(), bytes, Long::sum);
            }
        }
        for (FilesystemObservation fs : pass.observation().filesystems()) {
            DiskFacts d = pass.disk(fs.mount()).orElse(null);
            var u = fs.usage();
            SpaceSample space = new SpaceSample(pass.time(), u.totalBytes(), u.freeBytes(), u.usableBytes(),
                    d == null ? 0 : Math.min(d.armedBallastBytes(), u.usedBytes()));
            filesystems.add(new MoveDecision.Filesystem(fs.mount(), space, d == null ? null : d.pressure(),
                    brinkNow.get(fs.mount()), deleting.getOrDefault(fs.mount(), 0L)));
            for (String dir : fs.logDirs()) {
                LogDirDescription desc = byPath.get(dir);
                LogDirBrokerState lock = tick == null ? null : tick.logDirs().get(dir);
                boolean locked = lock != null && lock.state() == BrokerState.RUNNING;
                dirs.add(new MoveDecision.LogDir(dir, fs.mount(), locked && desc != null && desc.error() == null,
                        desc != null && desc.error() == null && desc.isCordoned()));
                if (desc != null && desc.error() == null) {
                    desc.replicaInfos().forEach((tp, info) ->
                            replicas.add(new MoveDecision.Replica(tp, dir, info.size(), info.isFuture())));
                }
            }
        }
        brokerFutures = (int) replicas.stream().filter(MoveDecision.Replica::future).count();
        Instant settled = clock.instant().minus(SETTLE);
        java.util.Set<TopicPartition> settling = new java.util.HashSet<>();
        recent.stream().filter(m -> "completed".equals(m.outcome()) && m.endedAt().isAfter(settled))
                .forEach(m -> settling.add(partitionOf(m.partition())));
        return new MoveDecision.Facts(enabled, state, clusterProblem, dirs, filesystems, replicas, watch.thresholds(),
                cordonLevel, settings.config().getLong(GuardianConfig.MOVE_BUDGET_BYTES), settling);
    }

    private static TopicPartition partitionOf(String name) {
        int dash = name.lastIndexOf('-');
        return new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
    }

    /** The broker's descriptions keyed by the guardian's name of each log dir (the normalized path). */
    private Map<String, LogDirDescription> byGuardianPath(Map<String, LogDirDescription> described) {
        Map<String, LogDirDescription> out = new LinkedHashMap<>();
        described.forEach((name, d) -> out.put(Path.of(name).normalize().toString(), d));
        return out;
    }

    private static String brokerName(Map<String, LogDirDescription> described, String guardianPath) {
        return described.keySet().stream().filter(n -> Path.of(n).normalize().toString().equals(guardianPath))
                .findFirst().orElse(guardianPath);
    }

    private List<LogDirReplicas> placement(MoveDecision.Facts f, Map<String, LogDirDescription> byPath) {
        List<LogDirReplicas> out = new ArrayList<>();
        for (MoveDecision.LogDir d : f.logDirs()) {
            LogDirDescription desc = byPath.get(d.path());
            if (desc == null || desc.error() != null) {
                out.add(new LogDirReplicas(d.path(), d.mount(), false, false, 0, 0, 0, List.of()));
                continue;
            }
            List<String> names = new ArrayList<>();
            long bytes = 0;
            int count = 0;
            int futures = 0;
            for (var e : desc.replicaInfos().entrySet()) {
                if (e.getValue().isFuture()) {
                    futures++;
                    continue;
                }
                count++;
                bytes += e.getValue().size();
                names.add(e.getKey().toString());
            }
            names.sort(null);
            out.add(new LogDirReplicas(d.path(), d.mount(), d.online(), d.cordoned(), count, bytes, futures,
                    names.subList(0, Math.min(PARTITIONS_LISTED, names.size()))));
        }
        return out;
    }

    private MoveReport decided(Decision d, List<LogDirReplicas> dirs) {
        return report(d.state().label(), d.detail(), dirs);
    }

    private MoveReport report(String state, String detail, List<LogDirReplicas> dirs) {
        return new MoveReport(settings.config().getBoolean(GuardianConfig.MOVE_ENABLED), clock.instant(), state, detail,
                settings.config().getLong(GuardianConfig.MOVE_BUDGET_BYTES), throttle, List.copyOf(inFlight.values()),
                List.copyOf(recent), dirs.isEmpty() && latest != null ? latest.logDirs() : dirs);
    }

    public Optional<MoveReport> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return latest().map(r -> r);
    }

    /** The subject {@code replica-move}: off, waiting, idle, moving or blocked. */
    @Override
    public Map<String, SubjectState> subjectStates() {
        MoveReport r = latest;
        if (r == null) {
            return Map.of();
        }
        return Map.of("replica-move", new SubjectState(r.state().toUpperCase(Locale.ROOT), r.detail()));
    }
}
