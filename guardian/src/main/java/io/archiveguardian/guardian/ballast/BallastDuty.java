package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.duty.Daemons;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.reserve.ArmResult;
import io.archiveguardian.reserve.RearmResult;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.ReserveStatus;
import io.archiveguardian.reserve.Tier;
import io.archiveguardian.reserve.TierPlan;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.reserve.Trigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's ballast duty. Each pass it reads every reserve (no lock, so the CLI may be working
 * at the same time), reports it, counts the tiers released since the last pass whoever released
 * them (sidecar, {@code guardian ballast release}, HTTP, prestart), and arms gently: one tier per
 * pass, as {@link ArmGate} allows (a fresh reserve by itself; a re-arm never competing with catch-up).
 * On a pass it adds each filesystem's armed and planned ballast to the facts; the arm itself runs
 * later in the pass ({@link ArmDuty}), once the recovery model has sized the reserve.
 *
 * <p>{@link #release} is the one entrance every release of the running sidecar goes through (the
 * guard thread after an unclean stop, the pass, a pressure action, HTTP), with the reserve's
 * {@link Trigger} vocabulary. It never waits for this duty's monitor, which an arm may hold.
 */
public final class BallastDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(BallastDuty.class);
    private final BallastService service;
    private volatile MeterRegistry registry = new SimpleMeterRegistry(); // until bound: counted, not exported
    private final Clock clock;
    /** Guards the reading of the reserves and the release counts; never held while waiting for an arm. */
    private final Object readLock = new Object();
    private final Duration rearmDelay;
    private final GaugeRows bytes;
    private final Map<String, Map<Integer, TierState>> previous = new HashMap<>();
    /** Tiers read as released by {@code recovery} once, not counted yet (see {@link #countReleases}). */
    private final java.util.Set<String> provisional = new java.util.HashSet<>();
    private volatile List<ReserveView> latest = List.of();
    private volatile List<BallastService.Reading> readings = List.of();
    private volatile Map<String, ArmGate.Decision> decisions = Map.of();
    private final GaugeRows recommendedGauge;
    /** How long a pass waits for the arm it started before it goes on (the arm continues). */
    static final Duration ARM_WAIT = Duration.ofSeconds(2);
    private final java.util.concurrent.ExecutorService armer =
            java.util.concurrent.Executors.newSingleThreadExecutor(Daemons.named("guardian-ballast-arm"));
    private volatile Future<?> arming;
    private volatile Map<String, String> unreadable = Map.of();
    private volatile Instant lastRelease = Instant.EPOCH;
    private volatile Instant lastArmActivity = Instant.EPOCH;
    private int runningPasses;
    /** The broker state of the guard's last tick (null before the first): what a running arm gives way to. */
    private volatile BrokerState tickState;

    /** Bound to {@code registry} at once (tests and one-shot use). */
    public BallastDuty(BallastService service, MeterRegistry registry, Clock clock, Duration rearmDelay) {
        this(service, clock, rearmDelay);
        bindTo(registry);
    }

    /** Unbound: the sidecar binds its meters when it registers the duty. */
    public BallastDuty(BallastService service, Clock clock, Duration rearmDelay) {
        this.service = service;
        this.clock = clock;
        this.rearmDelay = rearmDelay;
        this.bytes = new GaugeRows("guardian.ballast", BaseUnits.BYTES,
                "Ballast on the filesystem of a log dir, by state (armed: holding blocks; released: given back).");
        this.recommendedGauge = new GaugeRows("guardian.ballast.recommended", BaseUnits.BYTES,
                "Ballast the 'ballast recommend' model gives for the filesystem of a log dir from the measured write "
                        + "rate: catch-up of a recovery.outage.ms outage, local recovery of an unclean start, margin. "
                        + "Absent until the rate is measured. The sidecar arms at most reserve.size.");
    }

    @Override
    public String name() {
        return "ballast";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        bytes.bindTo(registry);
        recommendedGauge.bindTo(registry);
    }

    public BallastService service() {
        return service;
    }

    /** Reads every reserve and adds each filesystem's armed and planned ballast to the facts. */
    @Override
    public PassFacts onPass(PassFacts facts) {
        List<ReserveView> views = refresh();
        Map<String, Long> armed = BallastByMount.of(views, facts.observation());
        PassFacts out = facts;
        for (String mount : facts.disks().keySet()) {
            List<String> dirs = facts.disks().get(mount).logDirs();
            List<ReserveView.TierView> tiers = views.stream().filter(v -> v.logDirs().stream().anyMatch(dirs::contains))
                    .flatMap(v -> v.tiers().stream()).toList();
            long planned = tiers.stream().mapToLong(ReserveView.TierView::sizeBytes).sum();
            long largest = tiers.stream().filter(t -> "armed".equalsIgnoreCase(t.state()))
                    .mapToLong(ReserveView.TierView::sizeBytes).max().orElse(0);
            out = out.withDisk(mount, d -> d.withBallast(armed.getOrDefault(mount, 0L), planned, largest));
        }
        return out;
    }

    /**
     * Keeps the tick's broker state for the arm in progress: an arm gives way within a tick once
     * the broker is no longer RUNNING ({@link #giveWay}). Never acts itself.
     */
    @Override
    public boolean onGuardTick(io.archiveguardian.guardian.facts.GuardTick tick, PassFacts last) {
        tickState = tick.now();
        return false;
    }

    /**
     * Asked by the arm in progress between chunks (and at least every 50 ms while it waits for its
     * rate): once the guard's tick says the broker is not RUNNING (stopped, crashed, UNKNOWN), the
     * arm stops and its partial tier is removed, so the space goes to the broker's recovery. Before
     * the first tick (one-shot use, tests) only a waiting release stops an arm.
     */
    Optional<String> giveWay() {
        BrokerState now = tickState;
        return now == null || now == BrokerState.RUNNING ? Optional.empty()
                : Optional.of("the broker is " + now + ": an arm gives way when the broker stops");
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return Optional.of(new BallastReport(latest));
    }

    /** Reads every reserve now, without a lock and without counting: what the guard thread releases from. */
    public List<ReserveView> readNow() {
        return service.views();
    }

    /** Reads every reserve, updates metrics and release counts; returns the views for status. */
    public List<ReserveView> refresh() {
        synchronized (readLock) {
            return read();
        }
    }

    private List<ReserveView> read() {
        List<ReserveView> views = new ArrayList<>();
        Map<Tags, Long> rows = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        List<BallastService.Reading> all = service.readAll();
        readings = all;
        for (BallastService.Reading reading : all) {
            FilesystemReserve fs = reading.filesystem();
            String logDir = fs.logDir().toString();
            if (reading.status().isEmpty()) {
                // An offline or vanished log dir is reported, never fatal to the pass.
                errors.put(logDir, reading.error());
                continue;
            }
            ReserveStatus status = reading.status().get();
            views.add(ReserveView.of(fs, status));
            rows.put(Tags.of("logdir", logDir, "state", "armed"), status.armedBytes());
            rows.put(Tags.of("logdir", logDir, "state", "released"), status.releasedBytes());
            countReleases(logDir, status.tiers());
        }
        bytes.set(rows);
        latest = List.copyOf(views);
        unreadable = Map.copyOf(errors);
        return latest;
    }

    /**
     * Counts each tier that went from armed to released, by its trigger. The reading takes no lock:
     * a release another actor is making right now (tier file deleted, manifest not yet written) reads
     * as a {@code recovery} release. Such a reading is counted only when the next one still says so;
     * until then the tier stays armed here, and the actor's own trigger is counted once it wrote it.
     */
    private void countReleases(String logDir, List<Tier> tiers) {
        Map<Integer, TierState> before = previous.get(logDir);
        if (before == null) {
            lastRelease = latest(lastRelease, lastReleaseRecorded(tiers));
        }
        Map<Integer, TierState> now = new HashMap<>();
        for (Tier t : tiers) {
            now.put(t.index(), t.state());
            String key = logDir + "#" + t.index();
            if (t.state() != TierState.RELEASED) {
                provisional.remove(key);
            }
            if (before != null && before.get(t.index()) == TierState.ARMED && t.state() == TierState.RELEASED) {
                if (t.lastTrigger() == Trigger.RECOVERY && provisional.add(key)) {
                    now.put(t.index(), TierState.ARMED); // look again at the next refresh
                    continue;
                }
                provisional.remove(key);
                String trigger = t.lastTrigger() == null ? "unknown" : t.lastTrigger().label();
                releases(logDir, trigger).increment();
                lastRelease = clock.instant();
            }
        }
        previous.put(logDir, now);
    }

    /**
     * The last release the manifest records (of a tier that had been armed), so the re-arm delay
     * survives a restart of the sidecar: it counts from that release, whoever made it, not from the
     * sidecar's start. The manifest is written crash-safe by every release, the CLI's and prestart's
     * included, so it is the one durable record of when ballast was last given back.
     */
    private static Instant lastReleaseRecorded(List<Tier> tiers) {
        Instant last = Instant.EPOCH;
        for (Tier t : tiers) {
            if (t.state() == TierState.RELEASED && t.armedAt() != null && t.releasedAt() != null) {
                try {
                    last = latest(last, Instant.parse(t.releasedAt()));
                } catch (java.time.format.DateTimeParseException e) {
                    // an unreadable time: this tier says nothing about the delay
                }
            }
        }
        return last;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Counter releases(String logDir, String trigger) {
        return Counter.builder("guardian.ballast.releases")
                .description("Ballast tiers released, by what triggered the release (manual, prestart, unclean-shutdown, critical-pressure).")
                .tags("logdir", logDir, "trigger", trigger)
                .register(registry);
    }

    /** The reserves as of the last refresh. */
    public List<ReserveView> latest() {
        return latest;
    }

    /** One state per reserve, for state-change events. */
    @Override
    public Map<String, SubjectState> subjectStates() {
        Map<String, SubjectState> states = new LinkedHashMap<>();
        for (ReserveView v : latest) {
            if (v.tiersPlanned() == 0) {
                continue;
            }
            states.put("ballast:" + v.logDir(), new SubjectState(v.state().toUpperCase(java.util.Locale.ROOT),
                    v.tiersArmed() + " of " + v.tiersPlanned() + " tiers armed (" + Sizes.human(v.armedBytes())
                            + "), " + Sizes.human(v.releasedBytes()) + " released"
                            + (v.lastAction() == null ? "" : "; last: " + v.lastAction().inWords()
                            + (v.lastAction().reason() == null ? "" : ": " + v.lastAction().reason()))));
        }
        unreadable.forEach((logDir, error) -> states.put("ballast:" + logDir, new SubjectState("UNREADABLE", error)));
        return states;
    }

    /**
     * The one entrance for a release: tiers of one reserve (or of every reserve), released now under
     * the reserve's lock, then the reserves read again so status and metrics show it. Waits for no
     * arm: an arm in progress gives way to a waiting release (reserve-blocks' urgent-release marker).
     */
    public List<BallastService.Outcome<ReleaseResult>> release(Optional<Path> logDir, ReleaseRequest request,
                                                               Trigger trigger, String reason) {
        return release(logDir.map(List::of).orElse(List.of()), request, trigger, reason);
    }

    /** {@link #release(Optional, ReleaseRequest, Trigger, String)} on the filesystems of several log dirs (every one when empty). */
    public List<BallastService.Outcome<ReleaseResult>> release(List<Path> logDirs, ReleaseRequest request,
                                                               Trigger trigger, String reason) {
        List<BallastService.Outcome<ReleaseResult>> results = service.release(logDirs, request, trigger, reason);
        refresh();
        return results;
    }

    /**
     * One tier of the reserve on this filesystem, for a pressure action (trigger
     * {@code critical-pressure}). Never throws.
     *
     * @return empty when a tier was released (or the filesystem holds no log dir), else why not
     */
    public Optional<String> releaseOneTier(DiskFacts disk, String reason) {
        if (disk.logDirs().isEmpty()) {
            return Optional.empty();
        }
        try {
            release(Optional.of(Path.of(disk.logDirs().get(0))), ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, reason);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** {@link #release} on the reserve of one log dir, in the form the recovery guard asks for it. */
    public ReleaseResult releaseOn(Path logDir, ReleaseRequest request, Trigger trigger, String reason) {
        return release(Optional.of(logDir), request, trigger, reason).get(0).result();
    }

    /**
     * Gives each filesystem's reserve at most one tier when {@link ArmGate} allows it: a tier never
     * armed (reserve.auto.arm: a fresh install arms itself) or a released one (re-arm, only when it
     * cannot compete with catch-up). First removes tier files a crash damaged, so they never hold
     * space. A failure (the CLI holds the lock, say) is logged; the next pass tries again. After an
     * attempt the reserves are read again, so status and metrics show it. Reads only local facts
     * and the cached cluster answer: it never waits on the cluster.
     *
     * @param recommended  the 'ballast recommend' size per log dir where the write rate is measured
     *                     (also what a crash now would need, catch-up of an outage included)
     * @param replication  the latest cached answer about this broker's under-replicated partitions
     */
    public synchronized void maybeArm(BrokerState brokerState, Map<String, Long> recommended,
                                      UnderReplication.Answer replication) {
        runningPasses = brokerState == BrokerState.RUNNING ? runningPasses + 1 : 0;
        Map<Tags, Long> rows = new LinkedHashMap<>();
        for (BallastService.Reading reading : readings) {
            recommendedFor(reading.filesystem(), recommended)
                    .ifPresent(bytes -> rows.put(Tags.of("logdir", reading.filesystem().logDir().toString()), bytes));
        }
        recommendedGauge.set(rows);
        Future<?> running = arming;
        if (running != null && !running.isDone()) {
            decisions = readings.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    r -> r.filesystem().logDir().toString(),
                    r -> new ArmGate.Decision(ArmGate.Action.NONE, "an arm started by an earlier pass is still running"),
                    (a, b) -> a));
            return;
        }
        Map<String, ArmGate.Decision> made = new LinkedHashMap<>();
        List<Runnable> steps = new ArrayList<>();
        boolean acted = false;
        for (BallastService.Reading reading : readings) {
            FilesystemReserve fs = reading.filesystem();
            OptionalLong rec = recommendedFor(fs, recommended);
            if (reading.status().isEmpty()) {
                continue;
            }
            ReserveStatus status = reading.status().get();
            acted |= removeDamaged(fs, status);
            if (status.tiers().stream().anyMatch(t -> t.state() == TierState.ARMING)) {
                made.put(fs.logDir().toString(), new ArmGate.Decision(ArmGate.Action.NONE, "another process is arming"));
                continue;
            }
            BallastSettings s = service.settings();
            TierPlan plan;
            try {
                plan = planFor(status, rec);
            } catch (RuntimeException e) {
                made.put(fs.logDir().toString(), new ArmGate.Decision(ArmGate.Action.NONE, String.valueOf(e.getMessage())));
                continue;
            }
            Optional<Tier> nextReleased = status.tiers().stream().filter(t -> t.state() == TierState.RELEASED).findFirst();
            ArmGate.Decision decision = ArmGate.decide(new ArmGate.Facts(s.autoArm(), s.rearmEnabled(), brokerState,
                    runningPasses, fs.reserve().releasePending(), clock.instant(), lastRelease, rearmDelay,
                    neverArmed(status, plan), (int) status.tiers().stream()
                            .filter(t -> t.state() == TierState.RELEASED && t.armedAt() != null).count(),
                    nextReleased.map(Tier::sizeBytes).orElse(0L), replication, status.space().usableBytes(), rec));
            made.put(fs.logDir().toString(), decision);
            if (decision.action() == ArmGate.Action.NONE) {
                continue;
            }
            steps.add(() -> armStep(fs, decision, plan));
        }
        decisions = Map.copyOf(made);
        if (!steps.isEmpty()) {
            // Off the pass thread: a tier on the write path can take minutes (rate-limited), and the
            // pass must stay free to release ballast when the broker stops. A release waiting for
            // the lock makes the arm give way. Short arms (fallocate) finish within the wait.
            lastArmActivity = clock.instant();
            Future<?> task = armer.submit(() -> {
                try {
                    steps.forEach(Runnable::run);
                } finally {
                    lastArmActivity = clock.instant();
                }
            });
            arming = task;
            try {
                task.get(ARM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.info("ballast: arming continues in the background; the next passes report it");
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("ballast: arming failed: {}", String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acted = true;
        }
        if (acted) {
            refresh();
        }
    }

    /** One arm or re-arm step on one filesystem, on the arm thread. Never throws. */
    private void armStep(FilesystemReserve fs, ArmGate.Decision decision, TierPlan plan) {
        BallastSettings s = service.settings();
        try {
            if (decision.action() == ArmGate.Action.ARM) {
                ArmResult r = fs.reserve().armNext(plan, s.policy(), Trigger.SPACE_AVAILABLE,
                        "reserve.auto.arm: " + decision.reason(), this::giveWay);
                LOG.info("ballast of {}: armed tier(s) {} ({}){}", fs.logDir(), r.armedTiers(),
                        Sizes.human(r.armedBytes()), r.incomplete().map(m -> "; " + m).orElse(""));
            } else {
                RearmResult r = fs.reserve().rearm(s.policy(), Trigger.SPACE_AVAILABLE, decision.reason(), this::giveWay);
                LOG.info("ballast of {}: re-armed {} ({}){}", fs.logDir(), r.tier().map(t -> "tier " + t).orElse("nothing"),
                        decision.reason(), r.notArmed().map(m -> "; " + m).orElse(""));
            }
        } catch (RuntimeException e) {
            LOG.warn("ballast of {}: {} skipped this pass: {}", fs.logDir(), decision.action(), e.getMessage());
        }
    }

    /**
     * Whether an arm runs now or ended within {@code window}: the usable space then fell because the
     * guardian itself allocated ballast, not because the broker wrote.
     */
    public boolean armedWithin(Duration window) {
        Future<?> running = arming;
        return (running != null && !running.isDone()) || lastArmActivity.isAfter(clock.instant().minus(window));
    }

    /** Stops the arm thread; an arm in progress is interrupted (its partial tier is removed). */
    @Override
    public void close() {
        armer.shutdownNow();
    }

    /** The last arm decision per reserve (keyed by its log dir), for status and tests. */
    public Map<String, ArmGate.Decision> decisions() {
        return decisions;
    }

    private static OptionalLong recommendedFor(FilesystemReserve fs, Map<String, Long> recommended) {
        for (Map.Entry<String, Long> e : recommended.entrySet()) {
            try {
                if (fs.holds(Path.of(e.getKey()).toRealPath())) {
                    return OptionalLong.of(e.getValue());
                }
            } catch (java.io.IOException | RuntimeException ignored) {
                // an offline log dir: no recommendation for it
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The plan to arm towards: the configured one (sized by the recommendation) where the
     * filesystem has no reserve; otherwise the tiers the manifest records (their sizes are an
     * operator's or an earlier pass's choice), a gap a crash left taking the size of the tier above.
     */
    private TierPlan planFor(ReserveStatus status, OptionalLong recommended) {
        if (status.tiers().isEmpty()) {
            return service.settings().autoPlan(status.space().totalBytes(), recommended);
        }
        int max = status.tiers().stream().mapToInt(Tier::index).max().orElse(0);
        List<Long> sizes = new ArrayList<>();
        for (int i = max; i >= 1; i--) {
            int index = i;
            long size = status.tiers().stream().filter(t -> t.index() == index).mapToLong(Tier::sizeBytes).findFirst()
                    .orElse(sizes.isEmpty() ? TierPlan.MIN_TIER_BYTES : sizes.get(0));
            sizes.add(0, size);
        }
        return new TierPlan(sizes);
    }

    private static int neverArmed(ReserveStatus status, TierPlan plan) {
        int count = 0;
        for (int i = 1; i <= plan.tiers(); i++) {
            int index = i;
            Optional<Tier> t = status.tiers().stream().filter(x -> x.index() == index).findFirst();
            if (t.isEmpty() || (t.get().state() == TierState.RELEASED && t.get().armedAt() == null)) {
                count++;
            }
        }
        return count;
    }

    /** A tier file a crash damaged (its header never reached the disk) is removed now: it holds space for nothing. */
    private boolean removeDamaged(FilesystemReserve fs, ReserveStatus status) {
        boolean damaged = status.pendingCleanup().stream().anyMatch(p -> !p.getFileName().toString().endsWith(".partial"));
        if (!damaged || status.tiers().stream().anyMatch(t -> t.state() == TierState.ARMING)) {
            return false;
        }
        try {
            fs.reserve().recover();
            LOG.warn("ballast of {}: removed tier files damaged by a crash: {}", fs.logDir(), status.pendingCleanup());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("ballast of {}: cannot remove damaged tier files yet: {}", fs.logDir(), e.getMessage());
            return false;
        }
    }
}
