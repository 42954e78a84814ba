package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GiveWayOnBrokerStopTest {

    final AtomicReference<BrokerState> state = new AtomicReference<>(BrokerState.RUNNING);
    final AtomicLong nanos = new AtomicLong();
    final AtomicInteger probes = new AtomicInteger();

    GiveWayOnBrokerStop watch() {
        return new GiveWayOnBrokerStop(() -> {
            probes.incrementAndGet();
            return state.get();
        }, Duration.ofMillis(500), nanos::get);
    }

    @Test
    void aBrokerThatStopsUnderTheArmMakesItGiveWayAtTheNextProbe() {
        GiveWayOnBrokerStop w = watch();
        assertThat(w.watching()).isTrue();
        assertThat(w.reason()).isEmpty();

        state.set(BrokerState.STOPPED_UNCLEAN);
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(w.reason()).as("probed at most once per poll").isEmpty();
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(w.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("the broker is STOPPED_UNCLEAN (it was RUNNING when the arm began)"));
        assertThat(probes).hasValue(2);
    }

    @Test
    void anUnknownStateMakesItGiveWayToo() {
        GiveWayOnBrokerStop w = watch();
        state.set(BrokerState.UNKNOWN);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(w.reason()).isPresent();
    }

    @Test
    void anArmWhileTheBrokerIsDownIsNotWatched() {
        state.set(BrokerState.STOPPED_CLEAN);
        GiveWayOnBrokerStop w = watch();
        assertThat(w.watching()).isFalse();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(w.reason()).isEmpty();
        assertThat(probes).as("probed once, at the start").hasValue(1);
    }
}
