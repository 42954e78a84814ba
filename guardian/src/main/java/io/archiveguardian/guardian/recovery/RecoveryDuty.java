package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.BallastDuty;
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
import java.util.HashMap;
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
 * stopped uncleanly it releases the ballast tiers the next start needs, before the service
 * manager restarts it: {@link #brokerStopped()} polls cheaply so the sidecar notices within
 * {@code broker.state.poll.ms}.
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
    private volatile BrokerState polledState;
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
     * Cheap check (reads /proc/locks) for the fast poll: true when the broker was running at the
     * last check and is not now, so the caller runs a pass at once.
     */
    public boolean brokerStopped() {
        BrokerState now = BrokerState.combine(settings.logDirs().stream().map(d -> probe.probe(d).state()).toList());
        BrokerState before = polledState;
        polledState = now;
        return before == BrokerState.RUNNING && now != BrokerState.RUNNING;
    }

    /**
     * One pass: assess every filesystem and, after an unclean stop, release what the next start needs.
     *
     * @param writeRates measured write rate per log dir (bytes/s), recorded for prestart
     */
    public GuardReport update(Observation o, BallastDuty ballast, Optional<Admin> admin, Map<String, Double> writeRates) {
        Instant now = clock.instant();
        boolean running = o.brokerState() == BrokerState.RUNNING;
        if (running) {
            o.logDirs().forEach(d -> lastRunning.put(d.path(), now));
        }
        recordGrowth(now, writeRates);
        boolean act = o.brokerState() == BrokerState.STOPPED_UNCLEAN;
        GuardReport report = runner.run(o, ballast.latest(), running ? RecoveryGuard.CatchUpSource.unavailable(
                        "the broker is running", Optional.empty()) : runner.catchUp(o, admin),
                act, running, Trigger.UNCLEAN_SHUTDOWN, "the broker stopped uncleanly; freeing room for its recovery",
                (dir, request, trigger, reason) -> ballast.release(Optional.of(dir), request, trigger, reason).get(0).result());
        report.released().forEach(r -> LOG.warn("released ballast tiers {} ({}) on {} for the broker's recovery",
                r.tiers(), Sizes.human(r.bytes()), r.mount()));
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
            LOG.debug("cannot write the growth record to {}: {}", runner.stateDir(), e.toString());
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
