package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.disk.FilesystemProbe;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
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
 * restarts it: the sidecar's guard thread polls {@link #pollState()} every
 * {@code broker.state.poll.ms} and runs {@link #guardNow} on local facts only; the cluster's answer
 * ({@link #refineFromCluster}, on the cluster thread) refines the need for later passes.
 */
public final class RecoveryDuty {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryDuty.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final GuardRunner runner;
    private final BrokerStateProbe probe;
    private final GaugeRows need;
    private final GaugeRows headroom;
    private final Map<String, Instant> lastRunning = new HashMap<>();
    private final FilesystemProbe filesystems = new FilesystemProbe();
    private final AtomicReference<RecoveryGuard.CatchUpSource> clusterCatchUp = new AtomicReference<>();
    private volatile String lastRefineProblem;
    private volatile GuardReport latest;
    private Instant lastRecorded = Instant.EPOCH;

    public RecoveryDuty(GuardianSettings settings, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.runner = new GuardRunner(settings, clock);
        this.probe = BrokerStateProbe.forBroker(settings.brokerProperties());
        this.need = new GaugeRows(registry, "guardian.recovery.need", BaseUnits.BYTES,
                "Free space the next broker start needs on the filesystem: local recovery (as if it crashed now, "
                        + "while it runs), follower catch-up (while it is down) and the margin.");
        this.headroom = new GaugeRows(registry, "guardian.recovery.headroom", BaseUnits.BYTES,
                "Usable bytes plus releasable ballast minus the recovery need; negative means the next start would not fit.");
    }

    /**
     * The broker's state now, from the lock and the listener only (no scan, no cluster): the guard
     * thread's poll every {@code broker.state.poll.ms}.
     */
    public BrokerState pollState() {
        return BrokerState.combine(settings.logDirs().stream().map(d -> probe.probe(d).state()).toList());
    }

    /**
     * The local guard, for the guard thread right after the broker stopped uncleanly: the last pass's
     * scan with the broker state and usable space read again now, the growth record's write rate for
     * the catch-up, and a release aimed at what the next start needs. No Admin call is on this path;
     * the cluster's answer refines the need later and a later pass may release more.
     *
     * @return the report, or empty when the broker is not (or no longer) stopped uncleanly
     */
    public Optional<GuardReport> guardNow(Observation last, BallastService ballast) {
        Observation now = refreshed(last);
        if (now.brokerState() != BrokerState.STOPPED_UNCLEAN) {
            return Optional.empty();
        }
        RecoveryGuard.CatchUpSource source = Optional.ofNullable(clusterCatchUp.get())
                .orElseGet(() -> runner.localCatchUp("the local guard acts at once, without the cluster"));
        GuardReport report = runner.run(now, ballast.views(), source, true, false, Trigger.UNCLEAN_SHUTDOWN,
                "the broker stopped uncleanly; freeing room for its recovery",
                (dir, request, trigger, reason) -> ballast.release(Optional.of(dir), request, trigger, reason).get(0).result());
        logOutcome(report);
        latest = report;
        return Optional.of(report);
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
    public GuardReport update(Observation o, BallastDuty ballast, Map<String, Double> writeRates) {
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
        GuardReport report = runner.run(o, ballast.latest(), source,
                act, running, Trigger.UNCLEAN_SHUTDOWN, "the broker stopped uncleanly; freeing room for its recovery",
                (dir, request, trigger, reason) -> ballast.release(Optional.of(dir), request, trigger, reason).get(0).result());
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

    /** The last observation with the broker state and each filesystem's usage read again now. */
    private Observation refreshed(Observation last) {
        List<LogDirObservation> dirs = new ArrayList<>();
        List<BrokerState> states = new ArrayList<>();
        for (LogDirObservation d : last.logDirs()) {
            LogDirBrokerState state = probe.probe(Path.of(d.path()));
            states.add(state.state());
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
        return new Observation(clock.instant(), last.host(), last.nodeId(), BrokerState.combine(states), dirs, fs,
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
