package io.archiveguardian.guardian.events;

import io.archiveguardian.guardian.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where state-change events go: one JSON line each on the {@code guardian.events} logger, and the
 * most recent ones kept in memory for the status API and page.
 */
public final class EventLog {

    private static final Logger EVENTS = LoggerFactory.getLogger("guardian.events");

    private final int capacity;
    private final Deque<StateChangeEvent> recent = new ArrayDeque<>();
    private final List<java.util.function.Consumer<List<StateChangeEvent>>> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    public void publish(List<StateChangeEvent> events) {
        synchronized (this) {
            for (StateChangeEvent event : events) {
                EVENTS.info(Json.write(event));
                recent.addLast(event);
                while (recent.size() > capacity) {
                    recent.removeFirst();
                }
            }
        }
        if (!events.isEmpty()) {
            sinks.forEach(sink -> sink.accept(List.copyOf(events)));
        }
    }

    /** Also hands every published batch to {@code sink} (e.g. the events topic); a sink must not block. */
    public void addSink(java.util.function.Consumer<List<StateChangeEvent>> sink) {
        sinks.add(sink);
    }

    /** The most recent events, newest last. */
    public synchronized List<StateChangeEvent> recent() {
        return new ArrayList<>(recent);
    }
}
