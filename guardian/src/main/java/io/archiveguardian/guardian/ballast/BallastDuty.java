package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.ReserveStatus;
import io.archiveguardian.reserve.Tier;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.reserve.Trigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's ballast duty. Each pass it reads every reserve (no lock, so the CLI may be working
 * at the same time), reports it, counts the tiers released since the last pass whoever released
 * them (sidecar, {@code guardian ballast release}, HTTP, prestart), and re-arms gently: one tier per
 * pass, only while the broker has run steadily and not soon after a release.
 */
public final class BallastDuty {

    private static final Logger LOG = LoggerFactory.getLogger(BallastDuty.class);
    /** Passes the broker must have been running before a re-arm. */
    static final int STEADY_PASSES = 3;

    private final BallastService service;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration rearmDelay;
    private final GaugeRows bytes;
    private final Map<String, Map<Integer, TierState>> previous = new HashMap<>();
    private volatile List<ReserveView> latest = List.of();
    private volatile Map<String, String> unreadable = Map.of();
    private Instant lastRelease = Instant.EPOCH;
    private int runningPasses;

    public BallastDuty(BallastService service, MeterRegistry registry, Clock clock, Duration rearmDelay) {
        this.service = service;
        this.registry = registry;
        this.clock = clock;
        this.rearmDelay = rearmDelay;
        this.bytes = new GaugeRows(registry, "guardian.ballast", BaseUnits.BYTES,
                "Ballast on the filesystem of a log dir, by state (armed: holding blocks; released: given back).");
    }

    public BallastService service() {
        return service;
    }

    /** Reads every reserve, updates metrics and release counts; returns the views for status. */
    public synchronized List<ReserveView> refresh() {
        List<ReserveView> views = new ArrayList<>();
        Map<Tags, Long> rows = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (BallastService.Reading reading : service.readAll()) {
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

    private void countReleases(String logDir, List<Tier> tiers) {
        Map<Integer, TierState> before = previous.get(logDir);
        Map<Integer, TierState> now = new HashMap<>();
        for (Tier t : tiers) {
            now.put(t.index(), t.state());
            if (before != null && before.get(t.index()) == TierState.ARMED && t.state() == TierState.RELEASED) {
                String trigger = t.lastTrigger() == null ? "unknown" : t.lastTrigger().label();
                releases(logDir, trigger).increment();
                lastRelease = clock.instant();
            }
        }
        previous.put(logDir, now);
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
    public Map<String, SubjectState> subjectStates() {
        Map<String, SubjectState> states = new LinkedHashMap<>();
        for (ReserveView v : latest) {
            if (v.tiersPlanned() == 0) {
                continue;
            }
            states.put("ballast:" + v.logDir(), new SubjectState(v.state().toUpperCase(java.util.Locale.ROOT),
                    v.tiersArmed() + " of " + v.tiersPlanned() + " tiers armed (" + Sizes.human(v.armedBytes())
                            + "), " + Sizes.human(v.releasedBytes()) + " released"
                            + (v.lastAction() == null ? "" : "; last: " + v.lastAction().action() + " by "
                            + v.lastAction().trigger() + " (" + v.lastAction().reason() + ")")));
        }
        unreadable.forEach((logDir, error) -> states.put("ballast:" + logDir, new SubjectState("UNREADABLE", error)));
        return states;
    }

    /** Releases tiers now; the next refresh counts them. */
    public List<BallastService.Outcome<ReleaseResult>> release(Optional<Path> logDir, ReleaseRequest request,
                                                               Trigger trigger, String reason) {
        List<BallastService.Outcome<ReleaseResult>> results = service.release(logDir, request, trigger, reason);
        refresh();
        return results;
    }

    /**
     * Re-arms one released tier per filesystem when allowed: re-arm enabled, the broker running for
     * {@value #STEADY_PASSES} passes, no release within the re-arm delay, and the library's watermark
     * rule. A failure (the CLI holds the lock, say) is logged; the next pass tries again. After a
     * re-arm attempt the reserves are read again, so status and metrics show it.
     */
    public synchronized void maybeRearm(BrokerState brokerState) {
        runningPasses = brokerState == BrokerState.RUNNING ? runningPasses + 1 : 0;
        if (!service.settings().rearmEnabled() || runningPasses < STEADY_PASSES) {
            return;
        }
        if (lastRelease.plus(rearmDelay).isAfter(clock.instant())) {
            return;
        }
        boolean anyReleased = latest.stream().anyMatch(v -> v.tiersArmed() < v.tiersPlanned());
        if (!anyReleased) {
            return;
        }
        // Each filesystem on its own: a lock timeout or error on one reserve is reported and the
        // others are still re-armed in this pass.
        for (FilesystemReserve fs : service.filesystems()) {
            try {
                service.rearm(Optional.of(fs.logDir()), Trigger.SPACE_AVAILABLE, "space available and the broker has run steadily");
            } catch (RuntimeException e) {
                LOG.warn("ballast re-arm on {} skipped this pass: {}", fs.logDir(), e.getMessage());
            }
        }
        refresh();
    }
}
