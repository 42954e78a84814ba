package io.archiveguardian.guardian.facts;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import java.time.Instant;
import java.util.Map;

/**
 * One tick of the guard thread: the broker's state read once, from the lock and the listener (no
 * scan, no cluster), per log dir and combined, and the combined state of the tick before (null on
 * the first tick).
 */
public record GuardTick(Instant at, BrokerState before, BrokerState now, Map<String, LogDirBrokerState> logDirs) {

    public GuardTick {
        logDirs = Map.copyOf(logDirs);
    }

    /** True on the first tick that sees {@code state} after a tick that saw another one. */
    public boolean changedTo(BrokerState state) {
        return now == state && before != null && before != state;
    }
}
