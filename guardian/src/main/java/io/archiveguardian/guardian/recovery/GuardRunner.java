package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;

import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.Trigger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The recovery guard around its pure core: asks the cluster what the broker must catch up (or
 * reads the sidecar's growth record), assesses every filesystem and, when told to act, releases
 * the ballast tiers the decisions name. Shared by {@code guardian prestart} and the sidecar.
 */
public final class GuardRunner {

    /** How tiers are released: by the ballast service (prestart) or the sidecar's ballast duty. */
    @FunctionalInterface
    public interface Releaser {
        ReleaseResult release(Path logDir, ReleaseRequest request, Trigger trigger, String reason);
    }

    private final GuardianSettings settings;
    private final Clock clock;

    public GuardRunner(GuardianSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The catch-up source: the cluster when it answers in time, else the sidecar's record. */
    public RecoveryGuard.CatchUpSource catchUp(Observation o, Optional<Admin> admin) {
        return catchUp(o, admin, "no bootstrap servers configured");
    }

    /**
     * @param whyNoAdmin what to say when {@code admin} is empty (none configured, or the cluster is
     *                   unavailable: an unresolvable bootstrap host, say)
     */
    public RecoveryGuard.CatchUpSource catchUp(Observation o, Optional<Admin> admin, String whyNoAdmin) {
        Optional<GrowthRecord> growth = GrowthRecord.read(stateDir());
        if (o.brokerState() == BrokerState.RUNNING) {
            return RecoveryGuard.CatchUpSource.unavailable("the broker is running", growth);
        }
        if (admin.isEmpty()) {
            return RecoveryGuard.CatchUpSource.unavailable(whyNoAdmin, growth);
        }
        if (settings.nodeId().isEmpty()) {
            return RecoveryGuard.CatchUpSource.unavailable("the broker's node.id is unknown (give --broker-config)", growth);
        }
        Duration timeout = Duration.ofMillis(settings.config().getInt(GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS));
        try {
            return RecoveryGuard.CatchUpSource.cluster(CatchUpProbe.fromCluster(admin.get(), settings.nodeId().getAsInt(),
                    RecoveryGuard.localLogBytes(o), new AdminCalls(timeout, GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS)));
        } catch (CatchUpProbe.CatchUpUnavailableException e) {
            return RecoveryGuard.CatchUpSource.unavailable(e.getMessage() + " (tried " + settings.bootstrapServers().orElse("") + ")", growth);
        }
    }

    /**
     * Assesses every filesystem and, with {@code act}, releases what the decisions name.
     *
     * @param assumeUnclean price local recovery as if the broker had just crashed
     */
    public GuardReport run(Observation o, List<ReserveView> ballast, RecoveryGuard.CatchUpSource catchUp,
                           boolean act, boolean assumeUnclean, Trigger trigger, String reason, Releaser releaser) {
        long start = System.nanoTime();
        List<FilesystemGuard> guards = RecoveryGuard.assess(o, ballast, catchUp, clock.instant(),
                fs -> RecoveryParameters.of(settings, fs.usage()), assumeUnclean);
        List<GuardReport.Release> released = new ArrayList<>();
        List<GuardReport.Failure> failures = new ArrayList<>();
        if (act) {
            for (FilesystemGuard g : guards) {
                if (g.decision().outcome() != PrestartDecision.Outcome.RELEASE) {
                    continue;
                }
                Path logDir = Path.of(g.logDirs().get(0));
                // A target, judged under the reserve's lock: when prestart and the sidecar act at the same
                // moment, the second finds the space there and releases nothing more.
                try {
                    ReleaseResult r = releaser.release(logDir, ReleaseRequest.usableAtLeast(g.decision().coveredBytes()), trigger,
                            reason + ": " + g.decision().reason());
                    released.add(new GuardReport.Release(g.mount(), logDir.toString(), r.releasedTiers(), r.releasedBytes(),
                            trigger.label()));
                } catch (RuntimeException e) {
                    // One filesystem's lock timeout or I/O error must not keep the others from their release.
                    failures.add(new GuardReport.Failure(g.mount(), logDir.toString(), String.valueOf(e.getMessage())));
                }
            }
        }
        return new GuardReport(clock.instant(), o.brokerState(), guards, released, failures, (System.nanoTime() - start) / 1e9);
    }

    /** Local facts only: the sidecar's growth record stands in for the cluster's answer. */
    public RecoveryGuard.CatchUpSource localCatchUp(String why) {
        return RecoveryGuard.CatchUpSource.unavailable(why, GrowthRecord.read(stateDir()));
    }

    /** What dropping partitions would do to the next start, with the same inputs as {@link #run}. */
    public DropEffects dropEffects(Observation o, List<ReserveView> ballast, RecoveryGuard.CatchUpSource catchUp,
                                   boolean assumeUnclean) {
        return new DropEffects(o, ballast, catchUp, clock.instant(), fs -> RecoveryParameters.of(settings, fs.usage()),
                assumeUnclean);
    }

    public Path stateDir() {
        return Path.of(settings.config().getString(GuardianConfig.STATE_DIR));
    }

}
