package io.archiveguardian.guardian.stop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The write rate of one filesystem from its usable space, sampled on every guard tick over a short
 * window: how fast the free space goes, whoever writes. Not thread-safe: the guard thread owns it.
 */
final class UsageRate {

    private record Sample(Instant at, long usableBytes) {
    }

    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    UsageRate(Duration window) {
        this.window = window;
    }

    void add(Instant at, long usableBytes) {
        samples.addLast(new Sample(at, usableBytes));
        while (samples.size() > 2 && samples.peekFirst().at().isBefore(at.minus(window))) {
            samples.removeFirst();
        }
    }

    /** Bytes per second the usable space fell over the window (0 when it grew); empty with fewer than two samples. */
    OptionalDouble bytesPerSecond() {
        if (samples.size() < 2) {
            return OptionalDouble.empty();
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = Duration.between(first.at(), last.at()).toNanos() / 1e9;
        if (seconds <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, first.usableBytes() - last.usableBytes()) / seconds);
    }
}
