package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.DropCandidates;

import io.archiveguardian.guardian.config.GuardianSettings;
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
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's drop-candidates duty: every {@code drop.candidates.interval.ms} (a cluster-wide
 * describe is not free) it works out which replicas on this broker's log dirs are safe to drop and
 * exports {@code guardian_drop_candidates_bytes{logdir}} and keeps the result, from which
 * {@code /api/v1/drop-candidates} answers ({@link #fromCache}).
 */
public final class DropCandidatesDuty {

    private static final Logger LOG = LoggerFactory.getLogger(DropCandidatesDuty.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final Duration interval;
    private final GaugeRows safeBytes;
    private Instant last = Instant.EPOCH;
    private volatile DropCandidates cached;

    public DropCandidatesDuty(GuardianSettings settings, Clock clock, Duration interval, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.interval = interval;
        this.safeBytes = new GaugeRows(registry, "guardian.drop.candidates", BaseUnits.BYTES,
                "Bytes of the replicas on the log dir that are safe to drop: enough in-sync copies live on other live brokers (docs/drop.md).");
    }

    /** Refreshes the metric when the interval has passed; cluster trouble is logged, never fatal. */
    public synchronized void maybeRefresh(Optional<Admin> admin) {
        if (admin.isEmpty() || settings.nodeId().isEmpty() || last.plus(interval).isAfter(clock.instant())) {
            return;
        }
        last = clock.instant();
        try {
            DropCandidates c = candidates(admin.get(), settings.logDirs(), 0);
            cached = c;
            Map<Tags, Long> rows = new LinkedHashMap<>();
            for (Path dir : settings.logDirs()) {
                rows.put(Tags.of("logdir", dir.toString()), c.safeBytes(dir.toString()));
            }
            safeBytes.set(rows);
        } catch (RuntimeException e) {
            LOG.warn("drop candidates not refreshed: {}", e.getMessage());
        }
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
        return Optional.of(DropAdvisor.plan(c.snapshot(), settings.nodeId().getAsInt(), logDirs, needBytes));
    }

    /** The candidates now, ranked to free {@code needBytes} from these log dirs. */
    public DropCandidates candidates(Admin admin, java.util.List<Path> logDirs, long needBytes) {
        return new DropAdvisor(admin, settings.adminTimeout(), clock).candidates(settings.nodeId().orElseThrow(() ->
                new IllegalStateException("the broker's node.id is unknown: give --broker-config or node.id")), logDirs, needBytes);
    }
}
