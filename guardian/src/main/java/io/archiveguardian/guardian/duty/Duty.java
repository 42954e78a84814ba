package io.archiveguardian.guardian.duty;

import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One capability of the running sidecar (watch, guard, ballast, retention, cordon, drop advice,
 * cluster view, a pressure action...). The sidecar registers duties in order and calls them on its
 * threads; a duty holds its own state and never sees the sidecar. Every method has a default, so a
 * duty implements only what it does. None may throw out of the scheduler: the sidecar logs and
 * counts a failure and the other duties go on.
 *
 * <ul>
 *   <li>{@link #onGuardTick}: the guard thread, every {@code broker.state.poll.ms}, local facts only.
 *       Kept short: it must never wait on the cluster, a pass or another duty's lock.</li>
 *   <li>{@link #onPass}: the pass thread, every {@code scan.interval.ms}, in registration order; a
 *       duty reads the facts of the duties before it and returns them with its own part added.
 *       Never calls the cluster.</li>
 *   <li>{@link #onClusterRound}: after each pass, on the thread of the duty's {@link #clusterLane()}
 *       (duties on one lane run in turn; a lane still busy skips a round), with the cluster session.
 *       Every Admin wait is bounded ({@code admin.timeout.ms}); trouble is reported, never thrown.</li>
 *   <li>{@link #subjectStates()}, {@link #statusPart()}, {@link #bindTo}: what it reports as
 *       state-change events, in {@code /api/v1/status}, and as meters.</li>
 * </ul>
 */
public interface Duty extends MeterBinder, AutoCloseable {

    /** The lane of duties that share the main cluster thread, {@code guardian-cluster}. */
    String MAIN_LANE = "cluster";

    /** A short name, for logs and thread names. */
    String name();

    /**
     * The guard thread's tick. Returns true when the duty acted (a release, a stop), so that the
     * sidecar runs a pass at once to report it.
     *
     * @param last the facts of the last completed pass; null before the first one
     */
    default boolean onGuardTick(GuardTick tick, PassFacts last) {
        return false;
    }

    /** One local pass: observe, assess, act on local facts. Returns the facts with this duty's part. */
    default PassFacts onPass(PassFacts facts) {
        return facts;
    }

    /** The cluster thread this duty's round runs on: {@link #MAIN_LANE} unless its work must not wait behind others. */
    default String clusterLane() {
        return MAIN_LANE;
    }

    /** One cluster round with the facts of the pass that started it. Returns the events it found (retention drift, say). */
    default List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        return List.of();
    }

    /** Every state-change event the sidecar publishes, from whichever thread published it. Never blocks. */
    default void onEvents(List<StateChangeEvent> events) {
    }

    /** States that raise an event when they change between passes ({@code subject -> state}). */
    default Map<String, SubjectState> subjectStates() {
        return Map.of();
    }

    /** This duty's part of the status report, once it has one. */
    default Optional<StatusPart> statusPart() {
        return Optional.empty();
    }

    /** Registers this duty's meters; called once, before the first pass. */
    @Override
    default void bindTo(MeterRegistry registry) {
    }

    /** Stops the duty's own threads, if any. */
    @Override
    default void close() {
    }
}
