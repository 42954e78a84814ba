package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.cluster.RetryLog;

import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.StartEffects;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's drop-candidates duty: every {@code drop.candidates.interval.ms} (a cluster-wide
 * describe is not free) it works out which replicas on this broker's log dirs are safe to drop and
 * exports {@code guardian_drop_candidates_bytes{logdir}} and keeps the result, from which
 * {@code /api/v1/drop-candidates} answers ({@link #fromCache}); while the broker is down and its
 * next start does not fit, the plan for that start ({@link #forStart}). Both on the cluster round.
 */
public final class DropCandidatesDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(DropCandidatesDuty.class);
    private final RetryLog refreshLog = new RetryLog(LOG, "drop candidates: refreshing");
    private final RetryLog startPlanLog = new RetryLog(LOG, "drop candidates: the plan for the next start");

    private final GuardianSettings settings;
    private final Clock clock;
    private final Duration interval;
    private final GaugeRows safeBytes;
    private Instant last = Instant.EPOCH;
    private volatile DropCandidates cached;
    private volatile DropCandidates forStart;
    private final java.util.function.Supplier<ClusterFacts> facts;
    private volatile ClusterFacts latestFacts = ClusterFacts.NONE;
    private Instant lastForStart = Instant.EPOCH;
    private final Function<PassFacts, Optional<? extends StartEffects>> startEffects;

    /**
     * Unbound: the sidecar binds its meters when it registers the duty.
     *
     * @param facts        what the cluster view knows (critical disks, silent sidecars), asked on the
     *                     cluster thread at each refresh and kept for the answers served from the cache
     * @param startEffects the next start priced as the pass priced it; empty while the broker runs
     */
    public DropCandidatesDuty(GuardianSettings settings, Clock clock, Duration interval,
                              java.util.function.Supplier<ClusterFacts> facts,
                              Function<PassFacts, Optional<? extends StartEffects>> startEffects) {
        this.facts = facts;
        this.startEffects = startEffects;
        this.settings = settings;
        this.clock = clock;
        this.interval = interval;
        this.safeBytes = new GaugeRows("guardian.drop.candidates", BaseUnits.BYTES,
                "Bytes of the replicas on the log dir that are safe to drop: enough in-sync copies live on other live brokers (docs/drop.md).");
    }

    @Override
    public String name() {
        return "drop-candidates";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        safeBytes.bindTo(registry);
    }

    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts pass, ClusterSession session) {
        Optional<Admin> admin = session.admin();
        maybeRefresh(admin);
        maybeRefreshForStart(admin, startEffects.apply(pass));
        return List.of();
    }

    /** Refreshes the metric when the interval has passed; cluster trouble is logged, never fatal. */
    public synchronized void maybeRefresh(Optional<Admin> admin) {
        if (admin.isEmpty() || settings.nodeId().isEmpty() || last.plus(interval).isAfter(clock.instant())) {
            return;
        }
        last = clock.instant();
        try {
            latestFacts = currentFacts();
            DropCandidates c = candidates(admin.get(), settings.logDirs(), 0);
            cached = c;
            Map<Tags, Long> rows = new LinkedHashMap<>();
            for (Path dir : settings.logDirs()) {
                rows.put(Tags.of("logdir", dir.toString()), c.safeBytes(dir.toString()));
            }
            safeBytes.set(rows);
            refreshLog.succeeded();
        } catch (RuntimeException e) {
            refreshLog.failed(e, "drop candidates not refreshed: " + e.getMessage());
        }
    }

    /**
     * While the broker is down and its next start does not fit, prestart's plan for that start: the
     * replicas to drop with both effects counted (saved at the start, freed on disk when purged),
     * refreshed at most every {@code drop.candidates.interval.ms} and at once when a shortfall
     * appears. Cleared when the broker runs or the start fits. Cluster trouble is logged, never fatal.
     *
     * @param effects the next start priced as the pass priced it; empty while the broker runs
     */
    public synchronized void maybeRefreshForStart(Optional<Admin> admin, Optional<? extends StartEffects> effects) {
        long shortfall = effects.map(e -> e.shortfallBytes(java.util.Set.of(), Map.of())).orElse(0L);
        if (shortfall <= 0) {
            forStart = null;
            return;
        }
        boolean due = forStart == null || !lastForStart.plus(interval).isAfter(clock.instant());
        if (admin.isEmpty() || settings.nodeId().isEmpty() || !due) {
            return;
        }
        lastForStart = clock.instant();
        try {
            forStart = DropAdvisor.of(settings, admin.get(), settings.adminTimeout(), clock).withLocalDiskBytes().withFacts(latestFacts)
                    .candidatesForStart(settings.nodeId().getAsInt(), settings.logDirs(), shortfall, effects.get());
            startPlanLog.succeeded();
        } catch (RuntimeException e) {
            startPlanLog.failed(e, "no drop plan for the next start: " + e.getMessage());
        }
    }

    /** The plan for the next start (see {@link #maybeRefreshForStart}), if the broker is down and the start does not fit. */
    public Optional<DropCandidates> forStart() {
        return Optional.ofNullable(forStart);
    }

    /** The last refresh's candidates (all of this broker's log dirs, need 0), if one succeeded. */
    public Optional<DropCandidates> cached() {
        return Optional.ofNullable(cached);
    }

    /**
     * The candidates of the last refresh, re-ranked for {@code needBytes} on these log dirs: no
     * cluster call, so an HTTP request never waits on the cluster.
     */
    public Optional<DropCandidates> fromCache(java.util.List<Path> logDirs, long needBytes) {
        DropCandidates c = cached;
        if (c == null || settings.nodeId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DropAdvisor.plan(c.snapshot(), settings.nodeId().getAsInt(), logDirs, needBytes, latestFacts));
    }

    /** The candidates now, ranked to free {@code needBytes} from these log dirs. */
    public DropCandidates candidates(Admin admin, java.util.List<Path> logDirs, long needBytes) {
        return DropAdvisor.of(settings, admin, settings.adminTimeout(), clock).withFacts(latestFacts).candidates(settings.nodeId().orElseThrow(() ->
                new IllegalStateException("the broker's node.id is unknown: give --broker-config or node.id")), logDirs, needBytes);
    }

    /** The cluster view's facts now; none (and why) when it has nothing to say or fails (never fatal). */
    private ClusterFacts currentFacts() {
        try {
            return facts.get();
        } catch (RuntimeException e) {
            LOG.debug("drop candidates without the cluster view's facts: {}", e.toString());
            return ClusterFacts.none("the cluster view did not answer (" + e.getMessage() + ")");
        }
    }
}
