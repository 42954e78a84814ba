package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.facts.PassFacts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's retention duty: on each cluster round, checks (and, where this sidecar is elected,
 * repairs) infinite retention on the archive topics with {@link RetentionWatcher}, and turns what
 * changed into state-change events. Off without archive topics or without a cluster; cluster trouble
 * is logged, never fatal.
 */
public final class RetentionDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionDuty.class);

    private final GuardianSettings settings;
    private final RetentionWatcher watcher;
    private final AtomicReference<RetentionPass> latest = new AtomicReference<>();

    public RetentionDuty(GuardianSettings settings, Clock clock) {
        this.settings = settings;
        this.watcher = RetentionWatcher.from(settings, clock);
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("guardian.retention.drift.topics", watcher, RetentionWatcher::driftTopics)
                .description("Archive topics whose effective retention is not infinite after the last pass.")
                .register(registry);
        FunctionCounter.builder("guardian.retention.repairs", watcher, RetentionWatcher::repairsTotal)
                .description("Retention repairs made by this sidecar (set back to -1).")
                .register(registry);
    }

    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        if (!watcher.enabled() || session.admin().isEmpty()) {
            return List.of();
        }
        RetentionPass pass = watcher.runOnce(session.admin().get(), settings);
        latest.set(pass);
        pass.errors().forEach(e -> LOG.warn("retention: {}", e));
        List<StateChangeEvent> out = new ArrayList<>();
        for (RetentionEvent e : pass.events()) {
            out.add(new StateChangeEvent(pass.time(), facts.observation().host(), facts.observation().nodeId(),
                    e.subject(), e.previousState(), e.state(), e.detail()));
        }
        return out;
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return Optional.ofNullable(latest.get());
    }
}
