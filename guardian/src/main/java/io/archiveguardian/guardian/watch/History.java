package io.archiveguardian.guardian.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * A time series kept in memory, bounded two ways: samples older than the window are dropped, and
 * samples closer together than window / {@link #MAX_SAMPLES} are thinned (a new sample replaces
 * the last one when the last is that close to the one before it). So at most about
 * {@value #MAX_SAMPLES} samples per series stay, whatever the pass interval, and the newest
 * sample is always kept.
 */
final class History<T> {

    static final int MAX_SAMPLES = 4096;

    private final Function<T, Instant> time;
    private final Duration window;
    private final Duration spacing;
    private final ArrayDeque<T> samples = new ArrayDeque<>();

    History(Function<T, Instant> time, Duration window) {
        this.time = time;
        this.window = window;
        this.spacing = window.dividedBy(MAX_SAMPLES);
    }

    /** Adds the newest sample and forgets what fell out of the window before {@code now}. */
    void add(T sample, Instant now) {
        T last = samples.peekLast();
        if (last != null && time.apply(sample).isBefore(time.apply(last))) {
            samples.clear(); // the clock went back: the old samples cannot be fitted with the new ones
        } else if (samples.size() >= 2 && secondLastTime().plus(spacing).isAfter(time.apply(last))) {
            samples.pollLast(); // the last sample was only kept as the newest one
        }
        samples.addLast(sample);
        prune(now);
    }

    /** Forgets the samples older than the window before {@code now}. */
    void prune(Instant now) {
        Instant from = now.minus(window);
        while (!samples.isEmpty() && time.apply(samples.peekFirst()).isBefore(from)) {
            samples.pollFirst();
        }
    }

    private Instant secondLastTime() {
        Iterator<T> newestFirst = samples.descendingIterator();
        newestFirst.next();
        return time.apply(newestFirst.next());
    }

    /** The samples, oldest first. */
    List<T> samples() {
        return List.copyOf(samples);
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    int size() {
        return samples.size();
    }
}
