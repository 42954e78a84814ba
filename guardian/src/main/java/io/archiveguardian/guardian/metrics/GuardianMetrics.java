package io.archiveguardian.guardian.metrics;

import io.archiveguardian.guardian.GuardianVersion;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;

/** The sidecar's Prometheus registry; every {@code guardian_} metric is documented in docs/metrics.md. */
public final class GuardianMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public GuardianMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // The usual build_info: always 1, the labels say which build answers (join on it in PromQL).
        // An Info of the Prometheus client itself: Micrometer would drop the _info suffix of a gauge.
        Info info = Info.builder().name("guardian_build_info")
                .help("The guardian's version and the git revision it was built from; always 1.")
                .labelNames("version", "revision")
                .register(registry.getPrometheusRegistry());
        info.setLabelValues(GuardianVersion.current(), GuardianVersion.revision());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
