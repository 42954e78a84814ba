package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Daemons;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.EventLog;
import io.archiveguardian.guardian.events.StateChanges;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.metrics.ObservationMetrics;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.report.StatusReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's scheduler, blind to what the duties do. Three kinds of thread: {@code guardian-guard}
 * reads the broker state once per {@code broker.state.poll.ms} and gives the tick to every duty;
 * {@code guardian-pass} observes every {@code scan.interval.ms} and runs each duty's pass in
 * registration order, then the events, metrics and status of that pass; one thread per cluster lane
 * ({@code guardian-<lane>}) runs the lane's duties' cluster rounds after each pass, skipping a round
 * while the last one runs, so no Admin call holds up the guard, the pass or another lane. A failing
 * duty is logged and counted ({@code guardian_pass_failures_total}); the others and the schedule go on.
 */
final class PassLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PassLoop.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final List<Duty> duties;
    private final ClusterSession session;
    private final Observer observer;
    private final BrokerStateProbe brokerProbe;
    private final ObservationMetrics observationMetrics;
    private final Counter failures;
    private final EventLog events = new EventLog(200);
    private final AtomicReference<PassFacts> latest = new AtomicReference<>();
    private final AtomicReference<Instant> lastPassEnd = new AtomicReference<>();
    private final AtomicReference<Instant> lastGuardTick = new AtomicReference<>();
    private final Instant started;
    private final Map<String, Future<?>> laneRounds = new LinkedHashMap<>();
    private Map<String, SubjectState> previousStates = Map.of();
    private volatile BrokerState polledState;
    private volatile ScheduledExecutorService passes;
    private ScheduledExecutorService guard;
    private Map<String, ExecutorService> lanes = Map.of();

    PassLoop(GuardianSettings settings, Clock clock, MeterRegistry registry, List<Duty> duties, ClusterSession session) {
        this.settings = settings;
        this.clock = clock;
        this.duties = List.copyOf(duties);
        this.session = session;
        this.observer = new Observer(settings, clock);
        this.brokerProbe = BrokerStateProbe.forBroker(settings.brokerProperties(),
                settings.config().getString(io.archiveguardian.guardian.config.GuardianConfig.BROKER_ADDRESS));
        this.observationMetrics = new ObservationMetrics(registry);
        this.failures = Counter.builder("guardian.pass.failures")
                .description("Passes that failed with an unexpected error (see the log).").register(registry);
        this.duties.forEach(d -> d.bindTo(registry));
        this.duties.forEach(d -> events.addSink(d::onEvents));
        this.started = clock.instant();
    }

    synchronized void start() {
        if (passes != null) {
            return;
        }
        passes = Executors.newSingleThreadScheduledExecutor(Daemons.named("guardian-pass"));
        Map<String, ExecutorService> byLane = new LinkedHashMap<>();
        duties.forEach(d -> byLane.computeIfAbsent(d.clusterLane(),
                lane -> Executors.newSingleThreadExecutor(Daemons.named("guardian-" + lane))));
        lanes = byLane;
        passes.scheduleWithFixedDelay(this::scheduledPass, 0, settings.scanInterval().toMillis(), TimeUnit.MILLISECONDS);
        guard = Executors.newSingleThreadScheduledExecutor(Daemons.named("guardian-guard"));
        guard.scheduleWithFixedDelay(this::guardTick, 0, pollMs(), TimeUnit.MILLISECONDS);
    }

    /** Reads the broker state once and gives the tick to every duty; a duty that acted gets a pass at once. */
    private void guardTick() {
        try {
            Map<String, LogDirBrokerState> dirs = brokerProbe.probeAll(settings.logDirs());
            BrokerState now = BrokerState.combine(dirs.values().stream().map(LogDirBrokerState::state).toList());
            GuardTick tick = new GuardTick(clock.instant(), polledState, now, dirs);
            polledState = now;
            lastGuardTick.set(clock.instant());
            boolean acted = false;
            for (Duty d : duties) {
                acted |= guarded(d, "guard tick", () -> d.onGuardTick(tick, latest.get()), false);
            }
            ScheduledExecutorService p = passes;
            if (acted && p != null) {
                p.execute(this::scheduledPass); // refresh status, metrics and events; may release more
            }
        } catch (Throwable t) {
            failures.increment();
            LOG.error("the guard's broker-state check failed; it runs again in {} ms", pollMs(), t);
        }
    }

    private void scheduledPass() {
        try {
            submitClusterRounds(localPass());
        } catch (Throwable t) {
            failures.increment();
            LOG.error("pass failed; the next one runs in {} ms", settings.scanInterval().toMillis(), t);
        }
    }

    /** One pass and the main lane's cluster round on the calling thread (tests and one-shot use). */
    PassFacts runPass() {
        PassFacts facts = localPass();
        clusterRound(duties.stream().filter(d -> Duty.MAIN_LANE.equals(d.clusterLane())).toList(), facts);
        return facts;
    }

    /** Observe, then every duty's pass in order on local facts only, then events and metrics. */
    private synchronized PassFacts localPass() {
        Observation observation = observer.observe();
        PassFacts facts = PassFacts.of(observation);
        for (Duty d : duties) {
            PassFacts in = facts;
            facts = guarded(d, "pass", () -> d.onPass(in), in);
        }
        Map<String, SubjectState> states = new LinkedHashMap<>(observation.subjectStates());
        duties.forEach(d -> states.putAll(d.subjectStates()));
        events.publish(StateChanges.between(previousStates, states, observation.time(), observation.host(),
                observation.nodeId()));
        previousStates = states;
        observationMetrics.update(observation);
        latest.set(facts);
        lastPassEnd.set(clock.instant());
        return facts;
    }

    /** Hands each lane its round unless that lane's last round is still running. */
    private synchronized void submitClusterRounds(PassFacts facts) {
        lanes.forEach((lane, executor) -> {
            Future<?> running = laneRounds.get(lane);
            if (running == null || running.isDone()) {
                List<Duty> mine = duties.stream().filter(d -> lane.equals(d.clusterLane())).toList();
                laneRounds.put(lane, executor.submit(() -> clusterRound(mine, facts)));
            }
        });
    }

    private void clusterRound(List<Duty> lane, PassFacts facts) {
        for (Duty d : lane) {
            events.publish(guarded(d, "cluster round", () -> d.onClusterRound(facts, session), List.of()));
        }
    }

    private <T> T guarded(Duty duty, String step, java.util.function.Supplier<T> work, T otherwise) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            failures.increment();
            LOG.error("duty {} failed in its {}; the other duties go on", duty.name(), step, e);
            return otherwise;
        }
    }

    Optional<PassFacts> lastFacts() {
        return Optional.ofNullable(latest.get());
    }

    Optional<StatusReport> status() {
        PassFacts facts = latest.get();
        if (facts == null) {
            return Optional.empty();
        }
        List<StatusPart> parts = new ArrayList<>();
        duties.forEach(d -> d.statusPart().ifPresent(parts::add));
        return Optional.of(StatusReport.of(facts.observation(), events.recent(), parts));
    }

    EventLog events() {
        return events;
    }

    boolean ready() {
        return latest.get() != null;
    }

    /**
     * Healthy while the local loop works: the last pass ended within three intervals (plus 30 s) and,
     * once started, the guard checked the broker within 30 s (plus the poll interval and the reserve
     * lock timeout, which a release may wait for). Cluster calls play no part: a slow or dead cluster
     * never makes a liveness probe restart the sidecar in the middle of an incident.
     */
    boolean healthy() {
        Instant now = clock.instant();
        Instant reference = Optional.ofNullable(lastPassEnd.get()).orElse(started);
        boolean passing = reference.plus(settings.scanInterval().multipliedBy(3)).plusSeconds(30).isAfter(now);
        Instant ticked = Optional.ofNullable(lastGuardTick.get()).orElse(started);
        boolean guarding = guard == null || ticked.plusSeconds(30).plusMillis(pollMs())
                .plusMillis(settings.config().getInt(GuardianConfig.RESERVE_LOCK_TIMEOUT_MS)).isAfter(now);
        return passing && guarding;
    }

    private long pollMs() {
        return settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS);
    }

    /**
     * Stops the lanes (Admin calls may be interrupted), lets a release in progress on the guard
     * thread finish, closes the duties in reverse order, then waits for the pass in progress outside
     * this object's monitor, which that pass may need.
     */
    @Override
    public void close() {
        ScheduledExecutorService g;
        Map<String, ExecutorService> l;
        synchronized (this) {
            g = guard;
            l = lanes;
            guard = null;
            lanes = Map.of();
        }
        l.values().forEach(ExecutorService::shutdownNow);
        if (g != null) {
            g.shutdown();
            awaitOrInterrupt(g, 10);
        }
        for (int i = duties.size() - 1; i >= 0; i--) {
            Duty d = duties.get(i);
            guarded(d, "close", () -> {
                d.close();
                return null;
            }, null);
        }
        ScheduledExecutorService p;
        synchronized (this) {
            p = passes;
            passes = null;
        }
        if (p != null) {
            p.shutdown(); // a release in progress finishes; a slow arm is interrupted after 5 s
            if (!awaitOrInterrupt(p, 5)) {
                awaitOrInterrupt(p, 25);
            }
        }
    }

    /** Waits up to {@code seconds}; past that interrupts the thread. Returns whether it had ended. */
    private static boolean awaitOrInterrupt(ExecutorService executor, int seconds) {
        try {
            if (executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
                return true;
            }
            executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
