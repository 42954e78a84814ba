package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.reserve.GiveWay;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What makes an arm by hand ({@code guardian ballast arm}, {@code rearm}) give way when the broker
 * stops under it, as the sidecar's own arm does: an arm that goes on allocating after the broker
 * crashed takes the space its recovery needs. Only a broker that was RUNNING when the arm began is
 * watched (an arm while the broker is down, before its first start for instance, is the operator's
 * choice); once its state is anything else (stopped, crashed, UNKNOWN) the arm stops and its partial
 * tier is removed. The state is probed at most once per {@code poll} ({@code broker.state.poll.ms}),
 * since the allocator asks every 50 ms.
 */
public final class GiveWayOnBrokerStop implements GiveWay {

    private final Supplier<BrokerState> state;
    private final long pollNanos;
    private final LongSupplier nanoTime;
    private final boolean watching;
    private long probedAt;
    private BrokerState last;

    GiveWayOnBrokerStop(Supplier<BrokerState> state, Duration poll, LongSupplier nanoTime) {
        this.state = state;
        this.pollNanos = poll.toNanos();
        this.nanoTime = nanoTime;
        this.last = state.get();
        this.probedAt = nanoTime.getAsLong();
        this.watching = last == BrokerState.RUNNING;
    }

    /** Probes the broker now; the arm is watched only when it is RUNNING. */
    public static GiveWayOnBrokerStop from(Supplier<BrokerState> state, Duration poll) {
        return new GiveWayOnBrokerStop(state, poll, System::nanoTime);
    }

    /** Whether the broker ran when the arm began, so that its stop makes the arm give way. */
    public boolean watching() {
        return watching;
    }

    @Override
    public synchronized Optional<String> reason() {
        if (!watching) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        if (now - probedAt >= pollNanos) {
            last = state.get();
            probedAt = now;
        }
        return last == BrokerState.RUNNING ? Optional.empty()
                : Optional.of("the broker is " + last + " (it was RUNNING when the arm began): an arm gives way when the "
                + "broker stops, so the space goes to its recovery");
    }
}
