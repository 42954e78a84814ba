package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.http.SidecarView;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.clusterview.ClusterViewService;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.cordon.CordonDuty;
import io.archiveguardian.guardian.cordon.CordonSettings;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Trigger;
import io.archiveguardian.guardian.watch.DiskWatch;
import io.archiveguardian.guardian.watch.LogDirWatch;
import io.archiveguardian.guardian.watch.WatchReport;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.events.EventLog;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.events.StateChanges;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.metrics.ObservationMetrics;
import io.archiveguardian.guardian.recovery.GuardReport;
import io.archiveguardian.guardian.recovery.RecoveryDuty;
import io.archiveguardian.guardian.drop.observe.DropCandidatesDuty;
import io.archiveguardian.guardian.retention.RetentionEvent;
import io.archiveguardian.guardian.retention.RetentionPass;
import io.archiveguardian.guardian.retention.RetentionWatcher;
import io.archiveguardian.guardian.watch.BallastByMount;
import io.archiveguardian.guardian.watch.WatchDuty;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running sidecar: every {@code scan.interval.ms} one pass of observe → assess → act →
 * report on local facts; a guard thread that watches the broker every {@code broker.state.poll.ms}
 * and releases ballast after an unclean stop; and the cluster work on a thread of its own. A
 * failing pass is logged and counted; it never stops the schedule.
 */
public final class Sidecar implements SidecarView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final Observer observer;
    private final GuardianMetrics metrics;
    private final ObservationMetrics observationMetrics;
    private final Counter passFailures;
    private final EventLog events = new EventLog(200);
    private final ClusterConnection cluster;
    private final BallastDuty ballast;
    private final RecoveryDuty recovery;
    private final DropCandidatesDuty dropCandidates;
    private final RetentionWatcher retention;
    private final WatchDuty watch;
    private final CordonDuty cordon;
    private final ClusterViewService clusterView;
    private final AtomicReference<Observation> latest = new AtomicReference<>();
    private final AtomicReference<RetentionPass> latestRetention = new AtomicReference<>();
    private final AtomicReference<Instant> lastPassEnd = new AtomicReference<>();
    private final Instant started;
    private final AtomicReference<Instant> lastGuardTick = new AtomicReference<>();
    private Map<String, SubjectState> previousStates = Map.of();
    private volatile BrokerState polledState;
    private volatile ScheduledExecutorService scheduler;
    private ScheduledExecutorService poller;
    private final io.archiveguardian.guardian.ballast.UnderReplication underReplication;
    private ScheduledExecutorService replicationAsker;
    private java.util.concurrent.ExecutorService clusterWork;
    private java.util.concurrent.Future<?> clusterRound;

    public Sidecar(GuardianSettings settings, GuardianMetrics metrics, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.observer = new Observer(settings, clock);
        this.observationMetrics = new ObservationMetrics(metrics.registry());
        this.passFailures = Counter.builder("guardian.pass.failures")
                .description("Passes that failed with an unexpected error (see the log).")
                .register(metrics.registry());
        this.cluster = new ClusterConnection(settings);
        this.ballast = new BallastDuty(BallastService.create(settings, "guardian run", ReserveObserver.NONE),
                metrics.registry(), clock,
                java.time.Duration.ofMillis(settings.config().getLong(GuardianConfig.RESERVE_REARM_DELAY_MS)));
        this.retention = RetentionWatcher.from(settings, clock);
        this.recovery = new RecoveryDuty(settings, clock, metrics.registry());
        this.dropCandidates = new DropCandidatesDuty(settings, clock,
                java.time.Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_CANDIDATES_INTERVAL_MS)), metrics.registry(),
                this::dropFacts);
        this.watch = WatchDuty.create(settings, metrics.registry());
        this.cordon = new CordonDuty(CordonSettings.of(settings), cluster::admin, metrics.registry(), clock);
        Gauge.builder("guardian.cluster.reachable", cluster, ClusterConnection::reachable)
                .description("1 when the Kafka cluster answered the sidecar's last probe (describeCluster within "
                        + "admin.timeout.ms, once per cluster round), 0 when it did not; NaN before the first answer and "
                        + "without bootstrap servers.")
                .register(metrics.registry());
        Gauge.builder("guardian.retention.drift.topics", retention, RetentionWatcher::driftTopics)
                .description("Archive topics whose effective retention is not infinite after the last pass.")
                .register(metrics.registry());
        FunctionCounter.builder("guardian.retention.repairs", retention, RetentionWatcher::repairsTotal)
                .description("Retention repairs made by this sidecar (set back to -1).")
                .register(metrics.registry());
        this.clusterView = new ClusterViewService(settings, metrics.registry(), clock, cluster::admin);
        events.addSink(clusterView::offerEvents);
        this.started = clock.instant();
        // The re-arm gate's cluster question, asked on a thread of its own (see start()), read cached.
        this.underReplication = new io.archiveguardian.guardian.ballast.UnderReplication(settings.nodeId(),
                settings.adminTimeout(), settings.scanInterval().multipliedBy(3).plus(settings.adminTimeout()), clock);
    }

    /**
     * Starts the three loops: passes every {@code scan.interval.ms} (local work only), the guard
     * every {@code broker.state.poll.ms} (broker state, and the release after an unclean stop), and
     * the cluster work (retention, drop candidates, the catch-up probe) on a thread of its own, so
     * that no Admin call can hold up the other two.
     */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("guardian-pass"));
        clusterWork = Executors.newSingleThreadExecutor(daemon("guardian-cluster"));
        long interval = settings.scanInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::scheduledPass, 0, interval, TimeUnit.MILLISECONDS);
        long poll = settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS);
        poller = Executors.newSingleThreadScheduledExecutor(daemon("guardian-guard"));
        poller.scheduleWithFixedDelay(this::guardTick, 0, poll, TimeUnit.MILLISECONDS);
        // Cluster-side: whether this broker has under-replicated partitions, for the re-arm gate.
        replicationAsker = Executors.newSingleThreadScheduledExecutor(daemon("guardian-under-replication"));
        replicationAsker.scheduleWithFixedDelay(() -> underReplication.refresh(cluster::admin), 0, interval,
                TimeUnit.MILLISECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The guard thread's tick: reads the broker state (lock and listener, no scan, no cluster) and,
     * when the broker has just stopped uncleanly, releases what its next start needs right here, from
     * local facts. A release waits for no pass, no Admin call and no re-arm (a re-arm gives way to it).
     */
    private void guardTick() {
        try {
            BrokerState now = recovery.pollState();
            BrokerState before = polledState;
            polledState = now;
            lastGuardTick.set(clock.instant());
            if (now != BrokerState.STOPPED_UNCLEAN || before == BrokerState.STOPPED_UNCLEAN || before == null) {
                return;
            }
            Observation last = latest.get();
            if (last == null) {
                return; // the first pass, running now, acts on it
            }
            LOG.warn("the broker stopped uncleanly (was {}); releasing what its recovery needs now", before);
            recovery.guardNow(last, ballast.service());
            ScheduledExecutorService pass = scheduler;
            if (pass != null) {
                pass.execute(this::scheduledPass); // refresh status, metrics and events; may release more
            }
        } catch (Throwable t) {
            passFailures.increment();
            LOG.error("the guard's broker-state check failed; it runs again in {} ms",
                    settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS), t);
        }
    }

    private void scheduledPass() {
        try {
            Observation o = localPass();
            submitClusterWork(o);
        } catch (Throwable t) {
            passFailures.increment();
            LOG.error("pass failed; the next one runs in {} ms", settings.scanInterval().toMillis(), t);
        }
    }

    /** Hands the cluster work to its thread unless the previous round is still running. */
    private synchronized void submitClusterWork(Observation o) {
        if (clusterWork == null || (clusterRound != null && !clusterRound.isDone())) {
            return;
        }
        clusterRound = clusterWork.submit(() -> {
            try {
                clusterRound(o);
            } catch (Throwable t) {
                LOG.error("cluster work failed; the local duties go on", t);
            }
        });
    }

    /**
     * One pass, synchronously, then the cluster work of that pass on the calling thread (tests and
     * one-shot use; the running sidecar does the cluster work on its own thread).
     */
    public Observation runPass() {
        Observation o = localPass();
        clusterRound(o);
        return o;
    }

    /** Observe, assess, act and report with local facts only: no Admin call on this path. */
    private synchronized Observation localPass() {
        Observation observation = observer.observe();
        ballast.refresh();
        WatchReport watched = watch.update(observation, BallastByMount.of(ballast.latest(), observation));
        recovery.update(observation, ballast, writeRates(watched));
        // Cluster work on the cordon duty's own thread: returns at once (docs/cordon.md).
        cordon.submit(observation.brokerState() == io.archiveguardian.guardian.broker.BrokerState.RUNNING, watched);
        criticalPressureDuty(observation, watched);
        ballast.maybeArm(observation.brokerState(), io.archiveguardian.guardian.recovery.BallastRecommendation.byLogDir(
                observation, writeRates(watched), settings, ballast.latest()), underReplication.current());
        Map<String, SubjectState> states = new java.util.LinkedHashMap<>(observation.subjectStates());
        states.putAll(ballast.subjectStates());
        states.putAll(recovery.subjectStates());
        states.putAll(watch.subjectStates());
        states.putAll(cordon.subjectStates());
        List<StateChangeEvent> changes = StateChanges.between(previousStates, states,
                observation.time(), observation.host(), observation.nodeId());
        previousStates = states;
        observationMetrics.update(observation);
        events.publish(changes);
        latest.set(observation);
        lastPassEnd.set(clock.instant());
        clusterView.afterPass(status().orElseThrow());
        return observation;
    }

    /** Retention, drop candidates and the catch-up refinement; cluster trouble is logged, never fatal. */
    private void clusterRound(Observation observation) {
        cluster.probe();
        Optional<org.apache.kafka.clients.admin.Admin> admin = cluster.admin();
        recovery.refineFromCluster(observation, admin, cluster.problem());
        events.publish(retentionDuty(observation, admin));
        dropCandidates.maybeRefresh(admin);
        dropCandidates.maybeRefreshForStart(admin, recovery.startEffects(observation, ballast.latest()));
    }

    /** Measured write rate per log dir (bytes/s), for the growth record prestart falls back on. */
    private static Map<String, Double> writeRates(WatchReport watched) {
        Map<String, Double> rates = new java.util.HashMap<>();
        for (LogDirWatch d : watched.logDirs()) {
            if (d.growth() != null && d.growth().sufficient()) {
                rates.put(d.path(), d.growth().logBytesPerSecond());
            }
        }
        return rates;
    }

    /**
     * A disk that has just reached critical pressure while the broker runs gets one ballast tier
     * back, once per entry into critical (the hysteresis keeps it from flapping).
     */
    private void criticalPressureDuty(Observation observation, WatchReport watched) {
        if (observation.brokerState() != io.archiveguardian.guardian.broker.BrokerState.RUNNING) {
            return;
        }
        for (DiskWatch d : watched.disks()) {
            boolean entered = "critical".equals(d.pressure().level()) && !"critical".equals(d.pressure().previousLevel());
            if (!entered || d.ballastBytes() <= 0 || d.logDirs().isEmpty()) {
                continue;
            }
            try {
                ballast.release(Optional.of(java.nio.file.Path.of(d.logDirs().get(0))), ReleaseRequest.tiers(1),
                        Trigger.CRITICAL_PRESSURE, "disk " + d.mount() + " reached critical pressure: " + d.pressure().reason());
                LOG.warn("disk {} reached critical pressure; released one ballast tier", d.mount());
            } catch (RuntimeException e) {
                LOG.error("disk {} reached critical pressure but no ballast tier could be released: {}", d.mount(), e.getMessage());
            }
        }
    }

    /** Checks (and, when elected, repairs) infinite retention; cluster trouble is logged, never fatal. */
    private List<StateChangeEvent> retentionDuty(Observation observation, Optional<org.apache.kafka.clients.admin.Admin> admin) {
        if (!retention.enabled()) {
            return List.of();
        }
        if (admin.isEmpty()) {
            return List.of();
        }
        RetentionPass pass = retention.runOnce(admin.get(), settings);
        latestRetention.set(pass);
        pass.errors().forEach(e -> LOG.warn("retention: {}", e));
        List<StateChangeEvent> out = new ArrayList<>();
        for (RetentionEvent e : pass.events()) {
            out.add(new StateChangeEvent(pass.time(), observation.host(), observation.nodeId(), e.subject(),
                    e.previousState(), e.state(), e.detail()));
        }
        return out;
    }

    public Optional<StatusReport> status() {
        Observation observation = latest.get();
        return observation == null ? Optional.empty()
                : Optional.of(new StatusReport(StatusReport.version(), observation, ballast.latest(),
                recovery.latest(), latestRetention.get(), events.recent(), watch.latest().orElse(null),
                cordon.latest().orElse(null), cluster.reachability().orElse(null)));
    }

    /** Ready once the first pass completed. */
    public boolean ready() {
        return latest.get() != null;
    }

    /**
     * Healthy while the local loop works: the last pass ended within three intervals (plus 30 s) and,
     * once started, the guard checked the broker within 30 s (plus the poll interval and the reserve
     * lock timeout, which a release may wait for). Cluster calls play no part: a slow or
     * dead cluster never makes a liveness probe restart the sidecar in the middle of an incident.
     */
    public boolean healthy() {
        Instant now = clock.instant();
        Instant reference = Optional.ofNullable(lastPassEnd.get()).orElse(started);
        boolean passes = reference.plus(settings.scanInterval().multipliedBy(3)).plusSeconds(30).isAfter(now);
        Instant guard = lastGuardTick.get();
        // A guard tick may wait for the reserve lock while it releases: that is work, not a hang.
        boolean guarding = poller == null || Optional.ofNullable(guard).orElse(started).plusSeconds(30)
                .plusMillis(settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS))
                .plusMillis(settings.config().getInt(GuardianConfig.RESERVE_LOCK_TIMEOUT_MS)).isAfter(now);
        return passes && guarding;
    }

    public DropCandidatesDuty dropCandidates() {
        return dropCandidates;
    }

    public ClusterConnection cluster() {
        return cluster;
    }

    public BallastDuty ballast() {
        return ballast;
    }

    public GuardianMetrics metrics() {
        return metrics;
    }

    public GuardianSettings settings() {
        return settings;
    }

    public EventLog events() {
        return events;
    }

    /** What the cluster view tells the drop planner: critical disks and silent sidecars elsewhere. */
    private io.archiveguardian.guardian.drop.ClusterFacts dropFacts() {
        return clusterView.dropFacts().map(io.archiveguardian.guardian.clusterview.DropFacts::facts)
                .orElse(io.archiveguardian.guardian.drop.ClusterFacts.NONE);
    }

    /** The cluster view; {@link SidecarServer} starts it once the HTTP address is known. */
    @Override
    public ClusterViewService clusterView() {
        return clusterView;
    }

    @Override
    public void close() {
        ScheduledExecutorService p;
        java.util.concurrent.ExecutorService c;
        synchronized (this) {
            p = poller;
            c = clusterWork;
            poller = null;
            clusterWork = null;
        }
        if (c != null) {
            c.shutdownNow(); // Admin calls may be interrupted
        }
        ScheduledExecutorService asker;
        synchronized (this) {
            asker = replicationAsker;
            replicationAsker = null;
        }
        if (asker != null) {
            asker.shutdownNow();
        }
        if (p != null) {
            // A release in progress on the guard thread finishes: interrupting it would leave its
            // manifest and audit line unwritten (the next operation repairs them, but why make it).
            p.shutdown();
            try {
                if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
                    p.shutdownNow();
                }
            } catch (InterruptedException e) {
                p.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        ballast.close();
        cordon.close();
        clusterView.close();
        cluster.close();
        closePasses();
    }

    /** Waits for the pass in progress outside this object's monitor, which that pass may need. */
    private void closePasses() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdown(); // a release in progress finishes; a slow arm is interrupted after 5 s
            try {
                if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                    s.awaitTermination(25, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
