package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.clusterview.ClusterViewService;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.observe.DropCandidatesDuty;
import io.archiveguardian.guardian.events.EventLog;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.http.SidecarView;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.report.StatusReport;
import java.time.Clock;
import java.util.Optional;

/**
 * The long-running sidecar: the standard duties ({@link SidecarDuties}) on the scheduler
 * ({@link PassLoop}): every {@code scan.interval.ms} one pass of observe → assess → act → report on
 * local facts; a guard thread that reads the broker state every {@code broker.state.poll.ms} and
 * lets the duties act on it (the release after an unclean stop); the cluster work on threads of its
 * own. It holds no feature logic: it registers duties, runs them and answers the HTTP API's view.
 */
public final class Sidecar implements SidecarView, AutoCloseable {

    private final GuardianSettings settings;
    private final GuardianMetrics metrics;
    private final SidecarDuties duties;
    private final PassLoop loop;

    public Sidecar(GuardianSettings settings, GuardianMetrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.duties = SidecarDuties.standard(settings, clock);
        this.loop = new PassLoop(settings, clock, metrics.registry(), duties.all(), duties.cluster());
    }

    /** Starts the guard, the passes and the cluster lanes. */
    public void start() {
        loop.start();
    }

    /**
     * One pass, synchronously, then the cluster work of that pass on the calling thread (tests and
     * one-shot use; the running sidecar does the cluster work on its own threads).
     */
    public Observation runPass() {
        return loop.runPass().observation();
    }

    /** The typed facts of the last pass, which every duty read. */
    public Optional<PassFacts> facts() {
        return loop.lastFacts();
    }

    @Override
    public Optional<StatusReport> status() {
        return loop.status();
    }

    /** Ready once the first pass completed. */
    @Override
    public boolean ready() {
        return loop.ready();
    }

    /** Healthy while the local loop works (passes complete, the guard ticks); cluster calls play no part. */
    @Override
    public boolean healthy() {
        return loop.healthy();
    }

    @Override
    public DropCandidatesDuty dropCandidates() {
        return duties.dropCandidates();
    }

    @Override
    public ClusterConnection cluster() {
        return duties.cluster();
    }

    @Override
    public BallastDuty ballast() {
        return duties.ballast();
    }

    @Override
    public GuardianMetrics metrics() {
        return metrics;
    }

    @Override
    public GuardianSettings settings() {
        return settings;
    }

    public EventLog events() {
        return loop.events();
    }

    /** The cluster view; {@link SidecarServer} starts it once the HTTP address is known. */
    @Override
    public ClusterViewService clusterView() {
        return duties.clusterView();
    }

    @Override
    public void close() {
        loop.close();
    }
}
