package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.facts.PassFacts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import io.archiveguardian.guardian.text.Durations;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's one Admin client, created on first use and kept across passes (an Admin client
 * reconnects by itself). Empty when no bootstrap servers are configured: cluster duties are then
 * off and local duties go on. A cluster that cannot be reached (an unresolvable host, a refused
 * port) is <em>unavailable</em>: {@link #admin()} is empty, {@link #problem()} says why, and the
 * client is created again after {@link #RETRY}. Nothing here is ever fatal to the sidecar. Syntax
 * errors in the bootstrap address are caught earlier, at start (exit 2).
 */
public final class ClusterConnection implements Duty, ClusterSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);
    static final Duration RETRY = Duration.ofSeconds(30);
    /** While the cluster stays silent, how often the log says so again (with the count of attempts). */
    static final Duration SUMMARY_EVERY = Duration.ofMinutes(10);
    private static final AtomicBoolean DERIVED_WARNED = new AtomicBoolean();
    private static final DateTimeFormatter LOCAL_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GuardianSettings settings;
    private final Clock clock;
    private volatile Admin admin;
    private volatile String problem;
    private Instant nextAttempt = Instant.EPOCH;
    /** Whether the cluster answered the last probe, since when and why not. */
    private final AtomicReference<ClusterReachability> reachability;
    private volatile KafkaFuture<String> pending;
    private volatile boolean closed;
    private final AdminCalls calls;
    /** The silence being summarized: guarded by itself, as answers come on the Admin client's thread. */
    private final Silence silence = new Silence();

    public ClusterConnection(GuardianSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public ClusterConnection(GuardianSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.calls = new AdminCalls(settings.adminTimeout(), GuardianConfig.ADMIN_TIMEOUT_MS);
        this.reachability = new AtomicReference<>(ClusterReachability.notAskedYet(settings.bootstrapServers().orElse("")));
        warnDerivedBootstrapOnce(settings, LOG::warn);
    }

    /**
     * The warning for a bootstrap address taken from the broker's own listeners: after a crash that
     * broker is the one node that does not answer, so the cluster cannot be asked when it matters.
     * None where that address is the whole cluster (a single node that is its own controller
     * quorum, as in {@code guardian demo}): there is no other broker to name.
     */
    public static Optional<String> derivedBootstrapWarning(GuardianSettings settings) {
        boolean derived = settings.config().getString(GuardianConfig.BOOTSTRAP_SERVERS).isBlank()
                && settings.bootstrapServers().isPresent()
                && !SingleNodeCluster.describedBy(settings.brokerProperties(), settings.nodeId());
        return derived ? Optional.of("bootstrap.servers is derived from the broker's own listeners ("
                + settings.bootstrapServers().get() + "): when the broker is down, which is when the guardian needs "
                + "the cluster, that address does not answer. Set bootstrap.servers to several brokers' addresses.")
                : Optional.empty();
    }

    /**
     * Says {@link #derivedBootstrapWarning} to {@code sink} the first time it is asked in this
     * process, and never again: a command that opens several connections warns once.
     */
    public static void warnDerivedBootstrapOnce(GuardianSettings settings, Consumer<String> sink) {
        derivedBootstrapWarning(settings).filter(w -> DERIVED_WARNED.compareAndSet(false, true)).ifPresent(sink);
    }

    @Override
    public String name() {
        return "cluster";
    }

    /** Registers {@code guardian_cluster_reachable}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("guardian.cluster.reachable", this, ClusterConnection::reachable)
                .description("1 when the Kafka cluster answered the sidecar's last probe (describeCluster within "
                        + "admin.timeout.ms, once per cluster round), 0 when it did not; NaN before the first answer and "
                        + "without bootstrap servers.")
                .register(registry);
    }

    /** The first duty of the main cluster lane: probes the cluster, so status says whether it answers. */
    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        probe();
        return List.of();
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return reachability().map(r -> r);
    }

    @Override
    public Duration timeout() {
        return settings.adminTimeout();
    }

    /** The Admin client, or empty when no cluster is configured or it is unavailable now. */
    @Override
    public Optional<Admin> admin() {
        return admin(true);
    }

    /** {@code sidecarLog}: say in the log that the sidecar goes on without the cluster (not for one-shot commands). */
    private synchronized Optional<Admin> admin(boolean sidecarLog) {
        if (settings.bootstrapServers().isEmpty()) {
            return Optional.empty();
        }
        if (admin == null) {
            if (clock.instant().isBefore(nextAttempt)) {
                return Optional.empty();
            }
            try {
                admin = AdminClients.create(settings);
                problem = null;
            } catch (RuntimeException e) {
                nextAttempt = clock.instant().plus(RETRY);
                if (sidecarLog && !String.valueOf(e.getMessage()).equals(problem)) {
                    LOG.warn("cluster unavailable, retrying in {} s; the sidecar goes on with local duties: {}",
                            RETRY.toSeconds(), e.getMessage());
                }
                problem = String.valueOf(e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(admin);
    }

    /**
     * Asks the cluster for its id and returns at once: the answer, or the Admin client's own
     * {@code admin.timeout.ms} deadline, sets {@link #reachable()} when it comes, and a change is
     * said in the log. No thread waits on it; while one probe is out another is not sent.
     */
    public void probe() {
        if (settings.bootstrapServers().isEmpty() || (pending != null && !pending.isDone())) {
            return;
        }
        Optional<Admin> client = admin();
        if (client.isEmpty()) {
            answered(false, null, problem());
            return;
        }
        KafkaFuture<String> id = client.get().describeCluster().clusterId();
        pending = id;
        id.whenComplete((clusterId, error) -> answered(error == null, clusterId, error == null ? null
                : calls.failure("describe the cluster", error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error).getMessage()));
    }

    /**
     * Asks the cluster for its id and waits at most {@code bound} for the answer: for one-shot
     * commands ({@code guardian status}), which print the result; nothing is logged. Never throws.
     */
    public Optional<ClusterReachability> check(Duration bound, String boundKey) {
        if (settings.bootstrapServers().isEmpty()) {
            return Optional.empty();
        }
        Optional<Admin> client = admin(false);
        if (client.isEmpty()) {
            reachability.getAndUpdate(r -> r.next(false, null, problem(), clock.instant()));
        } else {
            try {
                String id = new AdminCalls(bound, boundKey).await(client.get().describeCluster().clusterId(), "describe the cluster");
                reachability.getAndUpdate(r -> r.next(true, id, null, clock.instant()));
            } catch (GuardianException e) {
                reachability.getAndUpdate(r -> r.next(false, null, e.getMessage(), clock.instant()));
            }
        }
        return reachability();
    }

    /** Whether the cluster answered the last question; empty when no cluster is configured. */
    public Optional<ClusterReachability> reachability() {
        return settings.bootstrapServers().isEmpty() ? Optional.empty() : Optional.of(reachability.get());
    }

    /** Not synchronized: it runs on the Admin client's thread, which close() may wait for. */
    private void answered(boolean ok, String clusterId, String why) {
        if (closed) {
            return; // a probe cut short by close() says nothing about the cluster
        }
        Instant at = clock.instant();
        reachability.getAndUpdate(r -> r.next(ok, clusterId, why, at));
        silence.answered(ok, why, at).ifPresent(line -> {
            if (ok) {
                LOG.info(line);
            } else {
                LOG.warn(line);
            }
        });
    }

    /**
     * The log's account of a silent cluster: the first failed answer is said at once, then a
     * summary every {@link #SUMMARY_EVERY} while it lasts ("N attempts since ..."), and the first
     * answer after it; the Admin client's own per-connection warnings are below the log's level.
     */
    static final class Silence {
        private Instant since;
        private int attempts;
        private Instant nextSummary;

        synchronized Optional<String> answered(boolean ok, String why, Instant at) {
            if (ok) {
                if (since == null) {
                    return Optional.empty();
                }
                String line = "the cluster answers again, after " + attempts(attempts) + " over "
                        + Durations.human(Duration.between(since, at));
                since = null;
                attempts = 0;
                return Optional.of(line);
            }
            attempts++;
            if (since == null) {
                since = at;
                nextSummary = at.plus(SUMMARY_EVERY);
                return Optional.of("the cluster does not answer (" + why + "); retention, drop candidates, the catch-up "
                        + "estimate and the re-arm gate wait for it, the local guard goes on");
            }
            if (at.isBefore(nextSummary)) {
                return Optional.empty();
            }
            nextSummary = at.plus(SUMMARY_EVERY);
            return Optional.of("the cluster does not answer (" + why + "), " + attempts(attempts) + " since "
                    + LOCAL_SECOND.format(since.atZone(ZoneId.systemDefault())) + " ("
                    + Durations.human(Duration.between(since, at)) + "); the local guard goes on");
        }

        private static String attempts(int n) {
            return n == 1 ? "1 attempt" : n + " attempts";
        }
    }

    /**
     * For {@code guardian_cluster_reachable}: 1 when the cluster answered the last probe, 0 when it
     * did not, NaN before the first answer and when no cluster is configured.
     */
    public double reachable() {
        Boolean a = reachability.get().reachable();
        return settings.bootstrapServers().isEmpty() || a == null ? Double.NaN : a ? 1 : 0;
    }

    /** Why the cluster cannot be asked now, for status and for the recovery need's explanation. */
    @Override
    public String problem() {
        if (settings.bootstrapServers().isEmpty()) {
            return "no bootstrap servers configured";
        }
        String p = problem;
        return p != null ? "cluster unavailable: " + p
                : admin == null ? "the cluster has not been asked yet" : "the cluster did not answer";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ZERO); // calls pending on a silent cluster must not delay the shutdown
        }
        admin = null;
    }
}
