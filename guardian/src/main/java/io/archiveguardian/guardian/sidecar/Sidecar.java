package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.http.SidecarView;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.clusterview.ClusterViewService;
import io.archiveguardian.guardian.config.GuardianConfig;
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
import io.archiveguardian.guardian.replicas.DropCandidatesDuty;
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
 * report. A failing pass is logged and counted; it never stops the schedule.
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
    private final ClusterViewService clusterView;
    private final AtomicReference<Observation> latest = new AtomicReference<>();
    private final AtomicReference<RetentionPass> latestRetention = new AtomicReference<>();
    private final AtomicReference<Instant> lastPassEnd = new AtomicReference<>();
    private final Instant started;
    private Map<String, SubjectState> previousStates = Map.of();
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService poller;

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
                java.time.Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_CANDIDATES_INTERVAL_MS)), metrics.registry());
        this.watch = WatchDuty.create(settings, metrics.registry());
        Gauge.builder("guardian.retention.drift.topics", retention, RetentionWatcher::driftTopics)
                .description("Archive topics whose effective retention is not infinite after the last pass.")
                .register(metrics.registry());
        FunctionCounter.builder("guardian.retention.repairs", retention, RetentionWatcher::repairsTotal)
                .description("Retention repairs made by this sidecar (set back to -1).")
                .register(metrics.registry());
        this.clusterView = new ClusterViewService(settings, metrics.registry(), clock, cluster::admin);
        this.started = clock.instant();
    }

    /** Runs the first pass now and then one every interval, on a thread of its own. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guardian-pass");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.scanInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::safePass, 0, interval, TimeUnit.MILLISECONDS);
        // The broker may stop at any moment; notice within broker.state.poll.ms and run a pass at
        // once, so ballast is freed before the service manager restarts it.
        long poll = settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS);
        ScheduledExecutorService pass = scheduler;
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "guardian-broker-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                if (recovery.brokerStopped()) {
                    LOG.warn("the broker stopped; running a pass now");
                    pass.execute(this::safePass);
                }
            } catch (RuntimeException e) {
                LOG.debug("broker state poll failed: {}", e.toString());
            }
        }, poll, poll, TimeUnit.MILLISECONDS);
    }

    private void safePass() {
        try {
            runPass();
        } catch (Throwable t) {
            passFailures.increment();
            LOG.error("pass failed; the next one runs in {} ms", settings.scanInterval().toMillis(), t);
        }
    }

    /** One pass, synchronously; used by the schedule and by tests. */
    public synchronized Observation runPass() {
        Observation observation = observer.observe();
        ballast.refresh();
        WatchReport watched = watch.update(observation, BallastByMount.of(ballast.latest(), observation));
        recovery.update(observation, ballast, cluster.admin(), writeRates(watched));
        criticalPressureDuty(observation, watched);
        ballast.maybeRearm(observation.brokerState());
        Map<String, SubjectState> states = new java.util.LinkedHashMap<>(observation.subjectStates());
        states.putAll(ballast.subjectStates());
        states.putAll(recovery.subjectStates());
        states.putAll(watch.subjectStates());
        List<StateChangeEvent> changes = StateChanges.between(previousStates, states,
                observation.time(), observation.host(), observation.nodeId());
        previousStates = states;
        observationMetrics.update(observation);
        List<StateChangeEvent> all = new ArrayList<>(changes);
        all.addAll(retentionDuty(observation));
        dropCandidates.maybeRefresh(cluster.admin());
        events.publish(all);
        latest.set(observation);
        lastPassEnd.set(clock.instant());
        clusterView.afterPass(status().orElseThrow(), all);
        return observation;
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
    private List<StateChangeEvent> retentionDuty(Observation observation) {
        if (!retention.enabled()) {
            return List.of();
        }
        Optional<org.apache.kafka.clients.admin.Admin> admin = cluster.admin();
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
                recovery.latest(), latestRetention.get(), events.recent(), watch.latest().orElse(null)));
    }

    /** Ready once the first pass completed. */
    public boolean ready() {
        return latest.get() != null;
    }

    /** Healthy while passes keep completing: the last one ended within three intervals. */
    public boolean healthy() {
        Instant now = clock.instant();
        Instant reference = Optional.ofNullable(lastPassEnd.get()).orElse(started);
        return reference.plus(settings.scanInterval().multipliedBy(3)).plusSeconds(30).isAfter(now);
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

    /** The cluster view; {@link SidecarServer} starts it once the HTTP address is known. */
    @Override
    public ClusterViewService clusterView() {
        return clusterView;
    }

    @Override
    public synchronized void close() {
        clusterView.close();
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        cluster.close();
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
