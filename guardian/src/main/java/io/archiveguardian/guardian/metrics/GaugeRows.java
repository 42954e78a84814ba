package io.archiveguardian.guardian.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.Map;

/**
 * A gauge with one row per label set that follows each pass: {@link #set(Map)} updates the rows,
 * registers new label sets and removes the ones no longer present. Each row is registered once and
 * reads a holder, because re-registering rows every pass (Micrometer's MultiGauge with overwrite)
 * was seen to lose rows from the Prometheus scrape. Made unbound, the rows are kept and registered
 * when {@link #bindTo} is called (a duty's meters are bound when the sidecar registers it).
 */
public final class GaugeRows implements MeterBinder {

    private MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final Map<Tags, Row> rows = new HashMap<>();

    public GaugeRows(MeterRegistry registry, String name, String baseUnit, String description) {
        this(name, baseUnit, description);
        bindTo(registry);
    }

    /** Unbound: rows are kept and registered once {@link #bindTo} is called. */
    public GaugeRows(String name, String baseUnit, String description) {
        this.name = name;
        this.baseUnit = baseUnit;
        this.description = description;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException(name + " is bound already");
        }
        this.registry = registry;
        rows.forEach((tags, row) -> row.gauge = gauge(tags, row));
    }

    /** Makes the rows exactly these label sets with these values. */
    public synchronized void set(Map<Tags, ? extends Number> values) {
        rows.entrySet().removeIf(e -> {
            if (values.containsKey(e.getKey())) {
                return false;
            }
            if (e.getValue().gauge != null) {
                registry.remove(e.getValue().gauge);
            }
            return true;
        });
        values.forEach((tags, value) -> rows.computeIfAbsent(tags, this::register).value = value.doubleValue());
    }

    private Row register(Tags tags) {
        Row row = new Row();
        row.gauge = registry == null ? null : gauge(tags, row);
        return row;
    }

    private Gauge gauge(Tags tags, Row row) {
        return Gauge.builder(name, row, r -> r.value).tags(tags).baseUnit(baseUnit)
                .description(description).strongReference(true).register(registry);
    }

    private static final class Row {
        volatile double value;
        Gauge gauge;
    }
}
