package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.disk.FilesystemProbe;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.reserve.Trigger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar's recovery guard. While the broker runs it reports what a crash now would
 * need ({@code guardian_recovery_need_bytes}) and the headroom, and records the write rate and
 * the last time the broker ran for a prestart that cannot ask the cluster. When the broker has
 * stopped uncleanly it releases the ballast the next start needs, before the service manager
 * restarts it: on the guard thread's tick that sees the unclean stop ({@link #onGuardTick}, every
 * {@code broker.state.poll.ms}) it runs {@link #guardNow} on local facts only; the cluster's answer
 * ({@link #refineFromCluster}, on the cluster round) refines the need for later passes. Every
 * release goes through the ballast duty's one entrance ({@link BallastDuty#releaseOn}).
 */
public final class RecoveryDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryDuty.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final GuardRunner runner;
    private final BallastDuty ballast;
    private final GaugeRows need;
    private final GaugeRows headroom;
    private final Map<String, Instant> lastRunning = new HashMap<>();
    private final FilesystemProbe filesystems = new FilesystemProbe();
    private final AtomicReference<RecoveryGuard.CatchUpSource> clusterCatchUp = new AtomicReference<>();
    private volatile String lastRefineProblem;
    private volatile GuardReport latest;
    private Instant lastRecorded = Instant.EPOCH;

    /** Unbound: the sidecar binds its meters when it registers the duty. */
    public RecoveryDuty(GuardianSettings settings, Clock clock, BallastDuty ballast) {
        this.settings = settings;
        this.clock = clock;
        this.ballast = ballast;
        this.runner = new GuardRunner(settings, clock);
        this.need = new GaugeRows("guardian.recovery.need", BaseUnits.BYTES,
                "Free space the next broker start needs on the filesystem: local recovery (as if it crashed now, "
                        + "while it runs), follower catch-up (while it is down) and the margin.");
        this.headroom = new GaugeRows("guardian.recovery.headroom", BaseUnits.BYTES,
                "Usable bytes plus releasable ballast minus the recovery need; negative means the next start would not fit.");
    }

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        need.bindTo(registry);
        headroom.bindTo(registry);
    }

    /**
     * On the tick that sees the broker stopped uncleanly (not the first tick: the first pass acts on
     * that). A stop seen while the sidecar's first pass (a full scan) is still running is kept, and
     * released for on the first tick after that pass ends, with its scan: not a scan interval later
     * at the second pass, whose observation is the first to say the broker stopped.
     */
    @Override
    public boolean onGuardTick(GuardTick tick, PassFacts last) {
        if (tick.changedTo(BrokerState.STOPPED_UNCLEAN) && last == null) {
            LOG.warn("the broker stopped uncleanly (was {}) during the sidecar's first pass; releasing what its "
                    + "recovery needs as soon as that pass has scanned the log dirs", tick.before());
            stopSeenBeforeFirstPass = true;
            return false;
        }
        boolean seenEarlier = stopSeenBeforeFirstPass && last != null;
        if (seenEarlier) {
            stopSeenBeforeFirstPass = false;
        }
        if ((!tick.changedTo(BrokerState.STOPPED_UNCLEAN) && !seenEarlier) || last == null
                || tick.now() != BrokerState.STOPPED_UNCLEAN) {
            return false;
        }
        LOG.warn("the broker stopped uncleanly (was {}); releasing what its recovery needs now",
                seenEarlier ? "RUNNING, during the first pass" : tick.before());
        guardNow(last.observation(), tick);
        return true;
    }

    /** The guard saw an unclean stop before the first pass ended; the first tick after it acts. */
    private volatile boolean stopSeenBeforeFirstPass;

    /**
     * The local guard, for the guard thread right after the broker stopped uncleanly: the last pass's
     * scan with the tick's broker state and the usable space read again now, the growth record's
     * write rate for the catch-up, and a release aimed at what the next start needs. No Admin call
     * is on this path; the cluster's answer refines the need later and a later pass may release more.
     *
     * @return the report, or empty when the broker is not stopped uncleanly
     */
    public Optional<GuardReport> guardNow(Observation last, GuardTick tick) {
        Observation now = refreshed(last, tick);
        if (now.brokerState() != BrokerState.STOPPED_UNCLEAN) {
            return Optional.empty();
        }
        RecoveryGuard.CatchUpSource source = Optional.ofNullable(clusterCatchUp.get())
                .orElseGet(() -> runner.localCatchUp("the local guard acts at once, without the cluster"));
        GuardReport report = runner.run(now, ballast.readNow(), source, true, false, Trigger.UNCLEAN_SHUTDOWN,
                UNCLEAN_REASON, ballast::releaseOn);
        logOutcome(report);
        latest = report;
        return Optional.of(report);
    }

    private static final String UNCLEAN_REASON = "the broker stopped uncleanly; freeing room for its recovery";

    /** The pass's part: the need and headroom per filesystem, and the reserve size the model recommends. */
    @Override
    public PassFacts onPass(PassFacts facts) {
        Observation o = facts.observation();
        GuardReport report = update(o, facts.writeRates());
        PassFacts out = facts;
        for (FilesystemGuard f : report.filesystems()) {
            out = out.withDisk(f.mount(), d -> d.withNeed(f.need().totalBytes(), f.headroomBytes()));
        }
        if (o.brokerState() == BrokerState.RUNNING) {
            // What a start right after a clean stop would need: start-up writes and the margin, no recovery.
            GuardReport clean = runner.run(o, ballast.latest(), RecoveryGuard.CatchUpSource.unavailable(
                    "a clean stop now: the broker is running", Optional.empty()), false, false, Trigger.UNCLEAN_SHUTDOWN,
                    UNCLEAN_REASON, ballast::releaseOn);
            for (FilesystemGuard f : clean.filesystems()) {
                out = out.withDisk(f.mount(), d -> d.withCleanStartNeed(f.need().totalBytes()));
            }
        }
        return out.withRecommendedBallast(BallastRecommendation.byLogDir(o, facts.writeRates(), settings, ballast.latest()));
    }

    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        refineFromCluster(facts.observation(), session.admin(), session.problem());
        return List.of();
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return Optional.ofNullable(latest);
    }

    /**
     * The cluster's refinement, on the cluster thread: what the stopped broker must catch up, asked
     * with {@code prestart.cluster.timeout.ms}. Kept until the broker runs again; the next pass uses it.
     */
    public void refineFromCluster(Observation o, Optional<Admin> admin, String whyNoAdmin) {
        if (o.brokerState() == BrokerState.RUNNING) {
            clusterCatchUp.set(null);
            return;
        }
        if (admin.isEmpty()) {
            return; // the local estimate stands
        }
        RecoveryGuard.CatchUpSource source = runner.catchUp(o, admin, whyNoAdmin);
        if (source.cluster().isPresent()) {
            clusterCatchUp.set(source);
            lastRefineProblem = null;
        } else if (!source.clusterProblem().equals(lastRefineProblem)) {
            lastRefineProblem = source.clusterProblem(); // said once, not every round
            LOG.info("the cluster did not refine the recovery need ({}); the local estimate stands", source.clusterProblem());
        }
    }

    /**
     * What dropping partitions would do to the next start, priced with the same model and catch-up
     * source as the pass (the cluster's answer for this outage, else the growth record) and all armed
     * ballast counted, as prestart prices it. Empty while the broker runs: then there is no start to plan.
     */
    public Optional<DropEffects> startEffects(Observation o, List<io.archiveguardian.guardian.ballast.ReserveView> ballast) {
        if (o.brokerState() == BrokerState.RUNNING) {
            return Optional.empty();
        }
        RecoveryGuard.CatchUpSource source = Optional.ofNullable(clusterCatchUp.get())
                .orElseGet(() -> runner.localCatchUp("the cluster has not answered yet"));
        return Optional.of(runner.dropEffects(o, ballast, source, false));
    }

    /**
     * One pass: assess every filesystem and, after an unclean stop, release what the next start needs.
     * Uses the cluster's last answer when there is one for this outage, else the growth record; never
     * calls the cluster itself.
     *
     * @param writeRates measured write rate per log dir (bytes/s), recorded for prestart
     */
    public GuardReport update(Observation o, Map<String, Double> writeRates) {
        Instant now = clock.instant();
        boolean running = o.brokerState() == BrokerState.RUNNING;
        if (running) {
            o.logDirs().forEach(d -> lastRunning.put(d.path(), now));
            clusterCatchUp.set(null);
        }
        recordGrowth(now, writeRates);
        boolean act = o.brokerState() == BrokerState.STOPPED_UNCLEAN;
        RecoveryGuard.CatchUpSource source = running
                ? RecoveryGuard.CatchUpSource.unavailable("the broker is running", Optional.empty())
                : Optional.ofNullable(clusterCatchUp.get()).orElseGet(() -> runner.localCatchUp(
                "the cluster has not answered yet" + settings.bootstrapServers().map(b -> " (" + b + ")").orElse("")));
        GuardReport report = runner.run(o, ballast.latest(), source, act, running, Trigger.UNCLEAN_SHUTDOWN,
                UNCLEAN_REASON, ballast::releaseOn);
        logOutcome(report);
        Map<Tags, Long> needs = new LinkedHashMap<>();
        Map<Tags, Long> rooms = new LinkedHashMap<>();
        for (FilesystemGuard f : report.filesystems()) {
            needs.put(Tags.of("mount", f.mount()), f.need().totalBytes());
            rooms.put(Tags.of("mount", f.mount()), f.headroomBytes());
        }
        need.set(needs);
        headroom.set(rooms);
        latest = report;
        return report;
    }

    private static void logOutcome(GuardReport report) {
        report.released().stream().filter(r -> !r.tiers().isEmpty()).forEach(r -> LOG.warn(
                "released ballast tiers {} ({}) on {} for the broker's recovery", r.tiers(), Sizes.human(r.bytes()), r.mount()));
        report.failures().forEach(f -> LOG.error("could not release ballast on {} for the broker's recovery: {}; "
                + "the other filesystems were handled", f.mount(), f.error()));
    }

    /** The last observation with the tick's broker state and each filesystem's usage read again now. */
    private Observation refreshed(Observation last, GuardTick tick) {
        List<LogDirObservation> dirs = new ArrayList<>();
        for (LogDirObservation d : last.logDirs()) {
            LogDirBrokerState state = tick.logDirs().getOrDefault(d.path(), d.broker());
            dirs.add(new LogDirObservation(d.path(), d.online(), d.error(), d.mount(), state, d.totals(), d.scanError(), d.scan()));
        }
        List<FilesystemObservation> fs = new ArrayList<>();
        for (FilesystemObservation f : last.filesystems()) {
            FilesystemUsage usage = f.usage();
            try {
                usage = filesystems.probe(Path.of(f.logDirs().get(0)));
            } catch (IOException | RuntimeException e) {
                LOG.debug("usage of {} not read again: {}", f.mount(), e.toString());
            }
            fs.add(new FilesystemObservation(usage, f.logDirs()));
        }
        return new Observation(clock.instant(), last.host(), last.nodeId(), tick.now(), dirs, fs,
                last.observeSeconds());
    }

    /**
     * Writes the growth record at most once a minute (it is fsynced). A "last running" time up to a
     * minute old only makes prestart assume a longer outage: the safe direction.
     */
    private void recordGrowth(Instant now, Map<String, Double> writeRates) {
        if (lastRunning.isEmpty() || now.isBefore(lastRecorded.plusSeconds(60))) {
            return;
        }
        lastRecorded = now;
        Map<String, GrowthRecord.LogDir> dirs = new HashMap<>();
        lastRunning.forEach((dir, at) -> dirs.put(dir, new GrowthRecord.LogDir(writeRates.getOrDefault(dir, 0.0), at)));
        try {
            new GrowthRecord(now, dirs).write(runner.stateDir());
        } catch (IOException | RuntimeException e) {
            // prestart falls back on this record when the cluster cannot be asked: losing it is worth a WARN
            LOG.warn("cannot write the growth record {}: {}; prestart will have no recorded write rate to fall back on. "
                    + "Check state.dir (permissions, free space).", runner.stateDir().resolve(GrowthRecord.FILE), e.toString());
        }
    }

    /**
     * One state per filesystem, for events: whether the next start fits in the usable space
     * ({@code START_FITS}), only after releasing ballast ({@code START_NEEDS_BALLAST}), or not at all.
     */
    @Override
    public Map<String, SubjectState> subjectStates() {
        Map<String, SubjectState> states = new LinkedHashMap<>();
        GuardReport r = latest;
        if (r == null) {
            return states;
        }
        for (FilesystemGuard f : r.filesystems()) {
            String state = f.usableBytes() >= f.need().totalBytes() ? "START_FITS"
                    : f.headroomBytes() >= 0 ? "START_NEEDS_BALLAST" : "START_WOULD_NOT_FIT";
            states.put("recovery:" + f.mount(), new SubjectState(state, "need " + Sizes.human(f.need().totalBytes())
                    + ", usable " + Sizes.human(f.usableBytes()) + ", ballast " + Sizes.human(f.armedBallastBytes())
                    + "; " + f.decision().reason()));
        }
        return states;
    }

    public GuardReport latest() {
        return latest;
    }

    public Path stateDir() {
        return runner.stateDir();
    }

}
