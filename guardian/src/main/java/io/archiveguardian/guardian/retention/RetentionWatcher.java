package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * The sidecar's retention duty: at each pass, find drift on the archive topics and, when
 * {@code retention.repair=true} and this sidecar is the elected repairer, set it back to infinite.
 * Remembers the previous pass so events say what each value was and what it is now.
 *
 * <p>Never throws for cluster trouble: an unreachable cluster or a missing ACL is an error in the
 * returned {@link RetentionPass}, and the sidecar goes on with its local duties.
 */
public final class RetentionWatcher {

    /** Added to a failure to read a broker's own defaults: what the check falls back to. */
    public static final String BROKER_VIEW_ONLY = "Inherited retention values are then judged only as the "
            + "answering broker sees them.";

    private final TopicSelection selection;
    private final boolean repair;
    private final Clock clock;
    private final Map<String, TopicAssessment> lastSeen = new HashMap<>();
    private final AtomicLong repairsTotal = new AtomicLong();
    private volatile RetentionPass lastPass;

    public RetentionWatcher(TopicSelection selection, boolean repair, Clock clock) {
        this.selection = selection;
        this.repair = repair;
        this.clock = clock;
    }

    /** A watcher for the selection and {@code retention.repair} of these settings. */
    public static RetentionWatcher from(GuardianSettings settings, Clock clock) {
        return new RetentionWatcher(RetentionSettings.selection(settings.config()),
                settings.config().getBoolean(GuardianConfig.RETENTION_REPAIR), clock);
    }

    /** One pass with the settings' bootstrap servers (for messages), Admin timeout and node id. */
    public RetentionPass runOnce(Admin admin, GuardianSettings settings) {
        String bootstrap = settings.bootstrapServers().orElse("(none)");
        return runOnce(new RetentionAdmin(admin, bootstrap, settings.adminTimeout()), settings.nodeId());
    }

    /** One pass; never throws: anything unexpected becomes an error of the returned pass. */
    public synchronized RetentionPass runOnce(RetentionAdmin admin, OptionalInt nodeId) {
        Instant time = clock.instant();
        try {
            return pass(admin, nodeId, time);
        } catch (RuntimeException e) {
            return remember(new RetentionPass(time, repair, Optional.empty(), List.of(), List.of(), List.of(), List.of(),
                    List.of("Retention check failed unexpectedly: " + e)));
        }
    }

    /** False when no archive topics are configured: then every pass is empty. */
    public boolean enabled() {
        return !selection.isEmpty();
    }

    private RetentionPass pass(RetentionAdmin admin, OptionalInt nodeId, Instant time) {
        List<String> errors = new ArrayList<>();
        if (selection.isEmpty()) {
            return remember(new RetentionPass(time, repair, Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of()));
        }
        Set<String> names;
        try {
            names = admin.topicNames();
        } catch (GuardianException e) {
            errors.add(e.getMessage());
            return remember(new RetentionPass(time, repair, Optional.empty(), List.of(), List.of(), List.of(), List.of(), errors));
        }
        TopicSelection.Selected selected = selection.select(names);
        selected.unknownNames().forEach(t -> errors.add("Topic '" + t + "' named in " + GuardianConfig.RETENTION_TOPICS
                + " does not exist (or the client's principal lacks Describe on it); remove it or create the topic."));
        DescribedTopics described = admin.describe(selected.topics());
        described.failures().forEach(f -> errors.add(f.message()));

        Optional<RepairElection> election;
        List<BrokerRetention> brokers = List.of();
        try {
            List<Integer> live = admin.liveBrokers();
            election = Optional.of(RepairElection.of(live, nodeId));
            DescribedBrokers describedBrokers = admin.describeBrokers(live);
            describedBrokers.failures().stream().map(f -> f.message() + " " + BROKER_VIEW_ONLY).distinct().forEach(errors::add);
            brokers = describedBrokers.brokers();
        } catch (GuardianException e) {
            errors.add(e.getMessage());
            election = Optional.empty();
        }
        RetentionPlan plan = RetentionPlanner.plan(described.configs(), brokers);

        List<RetentionDrift> drifted = drifted(plan);
        List<RetentionEvent> events = new ArrayList<>();
        String action = action(election);
        for (TopicAssessment now : plan.topics()) {
            transition(lastSeen.get(now.topic()), now, action).ifPresent(events::add);
        }

        List<RetentionRepair> repairs = new ArrayList<>();
        Map<String, TopicAssessment> next = new HashMap<>();
        plan.topics().forEach(t -> next.put(t.topic(), t));
        if (repair && election.map(RepairElection::thisNodeRepairs).orElse(false)) {
            List<TopicAssessment> toRepair = plan.topics().stream().filter(t -> t.status() == TopicStatus.DRIFT).toList();
            for (TopicApplyResult r : admin.apply(toRepair)) {
                if (r.applied()) {
                    repairs.add(new RetentionRepair(r.topic(), r.changes()));
                    TopicAssessment repaired = repairedView(next.get(r.topic()));
                    events.add(new RetentionEvent(RetentionEvent.subject(r.topic()), TopicStatus.DRIFT.name(),
                            TopicStatus.INFINITE.name(), "repaired by this sidecar (broker " + nodeId.getAsInt()
                            + ", elected repairer): " + describeChanges(r.changes())));
                    next.put(r.topic(), repaired);
                } else {
                    errors.add("Repair of topic '" + r.topic() + "' failed, it stays in drift: "
                            + r.failure().map(AdminFailure::message).orElse("unknown error"));
                }
            }
            repairsTotal.addAndGet(repairs.size());
        }
        // Topics no longer selected are forgotten; those that could not be described keep their last state.
        lastSeen.keySet().retainAll(selected.topics());
        lastSeen.putAll(next);
        return remember(new RetentionPass(time, repair, election, plan.topics(), drifted, repairs, events, errors));
    }

    /** Repairs made by this watcher since it started: for {@code guardian_retention_repairs_total}. */
    public long repairsTotal() {
        return repairsTotal.get();
    }

    /** Topics finite after the last pass: for {@code guardian_retention_drift_topics}. */
    public int driftTopics() {
        RetentionPass p = lastPass;
        return p == null ? 0 : p.driftTopics();
    }

    public Optional<RetentionPass> lastPass() {
        return Optional.ofNullable(lastPass);
    }

    private RetentionPass remember(RetentionPass pass) {
        lastPass = pass;
        return pass;
    }

    private List<RetentionDrift> drifted(RetentionPlan plan) {
        List<RetentionDrift> drifted = new ArrayList<>();
        for (TopicAssessment t : plan.finite()) {
            Optional<TopicAssessment> before = Optional.ofNullable(lastSeen.get(t.topic()));
            if (!t.retentionMs().infinite()) {
                drifted.add(new RetentionDrift(t.topic(), t.status(), RetentionPlanner.RETENTION_MS,
                        before.map(TopicAssessment::retentionMs), t.retentionMs()));
            }
            if (!t.retentionBytes().infinite()) {
                drifted.add(new RetentionDrift(t.topic(), t.status(), RetentionPlanner.RETENTION_BYTES,
                        before.map(TopicAssessment::retentionBytes), t.retentionBytes()));
            }
        }
        return drifted;
    }

    private String action(Optional<RepairElection> election) {
        if (!repair) {
            return "report only (retention.repair=false)";
        }
        return election.map(e -> e.thisNodeRepairs() ? "repairing now" : e.explain())
                .orElse("not repaired: the cluster's live brokers are unknown");
    }

    /** An event when the status changed, or when a finite topic's values changed; none otherwise. */
    static Optional<RetentionEvent> transition(TopicAssessment before, TopicAssessment now, String action) {
        if (before == null) {
            if (now.status() == TopicStatus.INFINITE) {
                return Optional.empty();
            }
            return Optional.of(new RetentionEvent(RetentionEvent.subject(now.topic()), null, now.status().name(),
                    "retention.ms is " + now.retentionMs().describe() + ", retention.bytes is "
                            + now.retentionBytes().describe() + suffix(now, action)));
        }
        boolean valuesChanged = before.retentionMs().value() != now.retentionMs().value()
                || before.retentionBytes().value() != now.retentionBytes().value();
        if (before.status() == now.status() && !(valuesChanged && now.status().finite())) {
            return Optional.empty();
        }
        String detail = change("retention.ms", before.retentionMs(), now.retentionMs()) + "; "
                + change("retention.bytes", before.retentionBytes(), now.retentionBytes()) + suffix(now, action);
        return Optional.of(new RetentionEvent(RetentionEvent.subject(now.topic()), before.status().name(),
                now.status().name(), detail));
    }

    private static String suffix(TopicAssessment now, String action) {
        return switch (now.status()) {
            case DRIFT -> "; " + action;
            case REVIEW, COMPACTED -> "; not rewritten: " + (now.notes().isEmpty() ? "" : now.notes().get(0));
            case INFINITE -> "";
        };
    }

    private static String change(String key, RetentionValue before, RetentionValue now) {
        if (before.value() == now.value() && before.source() == now.source()) {
            return key + " unchanged at " + now.describe();
        }
        return key + " was " + before.describe() + ", is now " + now.describe();
    }

    static String describeChanges(List<ConfigChange> changes) {
        return String.join("; ", changes.stream().map(ConfigChange::describe).toList());
    }

    private static TopicAssessment repairedView(TopicAssessment t) {
        RetentionValue ms = new RetentionValue(RetentionValue.INFINITE, ValueSource.TOPIC_OVERRIDE, "retention.ms=-1");
        RetentionValue bytes = new RetentionValue(RetentionValue.INFINITE, ValueSource.TOPIC_OVERRIDE, "retention.bytes=-1");
        return new TopicAssessment(t.topic(), TopicStatus.INFINITE, ms, bytes, List.of(), List.of());
    }

}
