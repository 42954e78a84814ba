package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.cordon.CordonAdmin.UnsupportedMetadataVersionException;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.duty.Daemons;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.metrics.GaugeRows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cordons this broker's pressured log dirs (KIP-1066) and lifts the guardian's own cordons when the
 * pressure is gone. Cluster work: {@link #submit} hands a pass's facts to the duty's own thread and
 * returns at once, so the local pass never waits on the cluster; {@link #runOnce} is the same work,
 * synchronously, each Admin call bounded by {@code admin.timeout.ms}. A failure is reported
 * (state {@code error} or {@code unsupported}, logged once per change) and never thrown. It reads
 * each log dir's {@link PressureLevel} from the pass's facts.
 */
public final class CordonDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(CordonDuty.class);

    private final CordonSettings settings;
    private final Supplier<Optional<Admin>> cluster;
    private final Clock clock;
    private final GaugeRows cordonedRows;
    private final AtomicReference<CordonReport> latest = new AtomicReference<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Daemons.named("guardian-cordon"));

    /** Bound to {@code registry} at once (tests and one-shot use). */
    public CordonDuty(CordonSettings settings, Supplier<Optional<Admin>> cluster, MeterRegistry registry, Clock clock) {
        this(settings, cluster, clock);
        bindTo(registry);
    }

    /** Unbound: the sidecar binds its meters when it registers the duty. */
    public CordonDuty(CordonSettings settings, Supplier<Optional<Admin>> cluster, Clock clock) {
        this.settings = settings;
        this.cluster = cluster;
        this.clock = clock;
        this.cordonedRows = new GaugeRows("guardian.logdir.cordoned", null,
                "1 when the broker's cordoned.log.dirs covers the log dir (KIP-1066), else 0; "
                        + "who cordoned it is in /api/v1/status under cordon.");
    }

    @Override
    public String name() {
        return "cordon";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cordonedRows.bindTo(registry);
    }

    /** Hands the pass's facts to the duty's own thread and returns at once (docs/cordon.md). */
    @Override
    public PassFacts onPass(PassFacts facts) {
        submit(facts.brokerRunning(), facts);
        return facts;
    }

    @Override
    public Optional<StatusPart> statusPart() {
        return latest().map(r -> r);
    }

    /**
     * Runs the duty on its own thread with this pass's facts, unless a run is still going (then this
     * pass is skipped: the next one brings fresher facts). Never blocks.
     */
    public void submit(boolean brokerRunning, PassFacts facts) {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    runOnce(brokerRunning, facts);
                } catch (RuntimeException e) {
                    LOG.error("cordon duty failed unexpectedly", e);
                } finally {
                    busy.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busy.set(false);
        }
    }

    /** One run, synchronously: read, decide, act, report. */
    public CordonReport runOnce(boolean brokerRunning, PassFacts facts) {
        return runOnce(brokerRunning, facts, true);
    }

    /** One run that only reads the cordons and changes nothing (for {@code guardian status}). */
    public CordonReport look(boolean brokerRunning, PassFacts facts) {
        return runOnce(brokerRunning, facts, false);
    }

    private CordonReport runOnce(boolean brokerRunning, PassFacts facts, boolean act) {
        CordonReport previous = latest.get();
        CordonReport report = run(brokerRunning, facts, previous, act);
        latest.set(report);
        logChange(previous, report);
        if (report.known()) {
            Map<Tags, Integer> rows = new LinkedHashMap<>();
            report.logDirs().forEach(d -> rows.put(Tags.of("logdir", d.logDir()), d.cordoned() ? 1 : 0));
            cordonedRows.set(rows);
        }
        return report;
    }

    private CordonReport run(boolean brokerRunning, PassFacts facts, CordonReport previous, boolean act) {
        Instant now = clock.instant();
        OptionalInt brokerId = settings.brokerId();
        if (brokerId.isEmpty()) {
            return unknown(now, "off", "the broker's node.id is unknown: give --broker-config or node.id", previous);
        }
        Optional<Admin> admin;
        try {
            admin = cluster.get();
        } catch (RuntimeException e) {
            return unknown(now, "error", e.getMessage(), previous);
        }
        if (admin.isEmpty()) {
            return unknown(now, "off", "no cluster configured (bootstrap.servers)", previous);
        }
        if (!brokerRunning) {
            return unknown(now, "waiting", "the broker is not running; its config is changed only while it runs", previous);
        }
        CordonAdmin kafka = new CordonAdmin(admin.get(), brokerId.getAsInt(), settings.timeout());
        CordonRecordStore store = new CordonRecordStore(settings.stateDir(), brokerId.getAsInt());
        try {
            CordonRecord record = store.read();
            CurrentCordons current = kafka.describe();
            Map<String, PressureLevel> levels = levels(facts);
            List<CordonStep> steps = CordonDecision.decide(levels, current, record.dirs(), settings.level());
            if (!act) {
                return report(now, settings.enabled() ? "active" : "disabled", "read only (guardian status)", current,
                        record, levels, List.of());
            }
            if (!settings.enabled()) {
                return report(now, "disabled", "cordon.enabled=false: cordons are shown, never changed", current,
                        record, levels, List.of());
            }
            OptionalInt mv = kafka.metadataVersionLevel();
            if (mv.isPresent() && mv.getAsInt() < CordonAdmin.CORDON_METADATA_LEVEL) {
                return report(now, "unsupported", unsupported("metadata.version is at feature level " + mv.getAsInt()),
                        current, record, levels, List.of());
            }
            List<CordonStep> done = act(kafka, store, current, steps, now);
            if (done.stream().anyMatch(s -> s.kind() != CordonStep.Kind.FORGET)) {
                current = kafka.describeUntil(c -> done.stream().allMatch(s -> switch (s.kind()) {
                    case ADD -> c.covers(s.logDir());
                    case REMOVE -> !c.lists(s.logDir());
                    default -> true;
                }));
            }
            return report(now, "active", "cordons a log dir at " + settings.level().label()
                    + " and lifts its own cordon below warn", current, store.read(), levels, steps);
        } catch (UnsupportedMetadataVersionException e) {
            return unknown(now, "unsupported", unsupported(e.getMessage()), previous);
        } catch (RuntimeException e) {
            return unknown(now, "error", e.getMessage(), previous);
        }
    }

    private List<CordonStep> act(CordonAdmin kafka, CordonRecordStore store, CurrentCordons current,
                                 List<CordonStep> steps, Instant now) {
        List<CordonStep> adds = steps.stream().filter(s -> s.kind() == CordonStep.Kind.ADD).toList();
        List<CordonStep> removes = steps.stream().filter(s -> s.kind() == CordonStep.Kind.REMOVE).toList();
        List<CordonStep> forgets = steps.stream().filter(s -> s.kind() == CordonStep.Kind.FORGET).toList();
        List<CordonStep> done = new ArrayList<>();
        // The cordon first, then the record: a crash in between leaves a cordon the guardian does not
        // claim, which it then never removes by itself (the safe side).
        CordonAlter.add(adds.stream().map(s -> settings.kafkaName(s.logDir())).toList(), current).ifPresent(op -> {
            kafka.alter(op);
            store.update(r -> {
                CordonRecord next = r;
                for (CordonStep s : adds) {
                    next = next.with(s.logDir(), now, s.reason());
                }
                return next;
            });
            adds.forEach(s -> LOG.warn("cordoned log dir {} of broker {}: {}", s.logDir(), settings.brokerId().getAsInt(), s.reason()));
            done.addAll(adds);
        });
        CordonAlter.remove(removes.stream().map(s -> settings.kafkaName(s.logDir())).toList(), current).ifPresent(op -> {
            kafka.alter(op);
            removes.forEach(s -> LOG.info("lifted the guardian's cordon of log dir {}: {}", s.logDir(), s.reason()));
            done.addAll(removes);
        });
        if (!removes.isEmpty() || !forgets.isEmpty()) {
            store.update(r -> {
                CordonRecord next = r;
                for (CordonStep s : removes) {
                    next = next.without(s.logDir());
                }
                for (CordonStep s : forgets) {
                    next = next.without(s.logDir());
                }
                return next;
            });
            forgets.forEach(s -> LOG.info("log dir {}: {}", s.logDir(), s.reason()));
            done.addAll(forgets);
        }
        return done;
    }

    private Map<String, PressureLevel> levels(PassFacts facts) {
        Map<String, PressureLevel> byDir = new LinkedHashMap<>();
        for (String dir : settings.kafkaNames().keySet()) {
            byDir.put(dir, null);
        }
        if (facts != null) {
            byDir.replaceAll((dir, none) -> facts.pressureOf(dir).orElse(null));
        }
        return byDir;
    }

    private CordonReport report(Instant now, String state, String detail, CurrentCordons current, CordonRecord record,
                                Map<String, PressureLevel> levels, List<CordonStep> steps) {
        List<LogDirCordon> dirs = new ArrayList<>();
        for (String dir : settings.kafkaNames().keySet()) {
            boolean cordoned = current.covers(dir);
            Optional<CordonRecord.Entry> ours = record.entry(dir).filter(e -> current.lists(dir));
            String by = !cordoned ? null : ours.isPresent() ? LogDirCordon.GUARDIAN : LogDirCordon.OPERATOR;
            CordonStep step = steps.stream().filter(s -> s.logDir().equals(dir)).findFirst()
                    .orElse(new CordonStep(dir, CordonStep.Kind.NONE, ""));
            PressureLevel level = levels.get(dir);
            dirs.add(new LogDirCordon(dir, cordoned, by, ours.map(CordonRecord.Entry::since).orElse(null),
                    level == null ? null : level.label(), action(step.kind()),
                    ours.map(CordonRecord.Entry::reason).orElse(step.reason().isEmpty() ? null : step.reason())));
        }
        return new CordonReport(now, state, detail, settings.level().label(), current.value(), dirs);
    }

    private CordonReport unknown(Instant now, String state, String detail, CordonReport previous) {
        return new CordonReport(now, state, detail, settings.level().label(), null,
                previous == null ? List.of() : previous.logDirs());
    }

    private static String action(CordonStep.Kind kind) {
        return switch (kind) {
            case ADD -> "cordoned";
            case REMOVE -> "uncordoned";
            case FORGET -> "forgot";
            case NONE -> "none";
        };
    }

    private static String unsupported(String why) {
        return "this cluster cannot cordon log dirs: " + why + ". Cordoning (KIP-1066) needs metadata.version "
                + CordonAdmin.CORDON_METADATA_VERSION + " (feature level " + CordonAdmin.CORDON_METADATA_LEVEL
                + ") or later: kafka-features.sh upgrade --metadata 4.3. Local duties go on; the guardian cordons "
                + "once the cluster is upgraded.";
    }

    private void logChange(CordonReport previous, CordonReport now) {
        if (previous != null && previous.state().equals(now.state())) {
            return;
        }
        switch (now.state()) {
            case "unsupported", "error" -> LOG.warn("cordon duty {}: {}", now.state(), now.detail());
            default -> LOG.info("cordon duty {}: {}", now.state(), now.detail());
        }
    }

    public Optional<CordonReport> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** Subjects for state-change events: {@code cordon} (the duty) and {@code cordon:<logdir>} (each log dir). */
    @Override
    public Map<String, SubjectState> subjectStates() {
        CordonReport r = latest.get();
        if (r == null) {
            return Map.of();
        }
        Map<String, SubjectState> states = new LinkedHashMap<>();
        states.put("cordon", new SubjectState(r.state(), r.detail()));
        for (LogDirCordon d : r.logDirs()) {
            String detail = d.cordoned() ? "cordoned by " + d.cordonedBy() + (d.reason() == null ? "" : ": " + d.reason())
                    : d.reason() == null ? "not cordoned" : d.reason();
            states.put("cordon:" + d.logDir(), new SubjectState(d.cordoned() ? "cordoned" : "uncordoned", detail));
        }
        return states;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
