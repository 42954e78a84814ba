package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.drop.PlanRecheck;
import io.archiveguardian.guardian.drop.PlannedDrop;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.drop.render.DropText;

import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Carries out a printed plan, in the confirmed order (docs/drop.md): re-read the cluster and
 * re-check every rule; submit the reassignments and wait until the controller completed them; only
 * then move the local partition directories into the trash (and, with purge, delete them). Every
 * step is audited. The caller has already made sure the local broker is stopped.
 */
public final class DropExecutor {

    private static final DateTimeFormatter BATCH_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final Admin admin;
    private final DropAdvisor advisor;
    private final Clock clock;
    private final AdminCalls calls;
    private final Duration reassignmentTimeout;
    private final AuditLog audit;
    private final PrintWriter progress;

    public DropExecutor(Admin admin, Clock clock, Duration callTimeout, Duration reassignmentTimeout, AuditLog audit,
                        PrintWriter progress) {
        this(admin, new DropAdvisor(admin, callTimeout, clock), clock, callTimeout, reassignmentTimeout, audit, progress);
    }

    /**
     * @param advisor observes the cluster for the re-check under {@code .lock}: the one that made the
     *                plan, so other brokers' disks are judged at the same thresholds
     */
    public DropExecutor(Admin admin, DropAdvisor advisor, Clock clock, Duration callTimeout, Duration reassignmentTimeout,
                        AuditLog audit, PrintWriter progress) {
        this.admin = admin;
        this.advisor = advisor;
        this.clock = clock;
        this.calls = new AdminCalls(callTimeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        this.reassignmentTimeout = reassignmentTimeout;
        this.audit = audit;
        this.progress = progress;
    }

    /**
     * Carries out the plan holding the broker's {@code .lock} from the re-check to the end (see
     * {@link DropLock}), with a marker that prestart reads.
     *
     * @return the trash batches written, one per log dir that lost replicas
     */
    public List<TrashBatch> execute(DropCandidates planned, LocalTarget target, Map<Path, DropTrash> trashes, boolean purge) {
        if (planned.plan().drops().isEmpty() || !planned.plan().sufficient()) {
            audit.record("refused", Json.MAPPER.createObjectNode().put("broker", target.broker())
                    .put("detail", "the plan cannot free enough: " + DropText.summary(planned.plan())));
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the plan cannot free enough: "
                    + DropText.summary(planned.plan()) + " Nothing was changed.");
        }
        List<TrashBatch> batches = batches(planned, target);
        try (DropLock lock = DropLock.acquire(target.logDirs(), roots(trashes),
                DropMarker.ofThisProcess(clock.instant(), target.broker(), purge, batches))) {
            audit.record("locked", Json.MAPPER.createObjectNode().put("broker", target.broker())
                    .put("detail", "holding .lock in " + target.logDirs() + "; a broker start fails until the drop ends"));
            progress.println("Holding the broker's .lock in " + target.logDirs() + ": a broker start fails until this drop ends.");
            ClusterSnapshot fresh = advisor.observe(target.broker(), target.logDirs());
            List<String> changes = PlanRecheck.changes(planned, fresh);
            if (!changes.isEmpty()) {
                audit.record("aborted", Json.MAPPER.createObjectNode().put("broker", target.broker())
                        .put("detail", "cluster changed since the plan: " + String.join("; ", changes)));
                throw new GuardianException(ExitCodes.CHECK_FAILED, "the cluster changed since the plan, nothing was changed: "
                        + String.join("; ", changes) + ". Run the command again for a new plan.");
            }
            progress.println("Re-checked every rule against fresh metadata: unchanged.");
            Map<TopicPartition, List<Integer>> reassignments = new LinkedHashMap<>();
            planned.plan().drops().forEach(d -> reassignments.put(d.replica().partition(), d.newReplicas()));
            lock.phase("reassigning");
            try {
                submit(reassignments);
                awaitCompletion(reassignments);
                progress.println("The controller completed " + reassignments.size() + " reassignment"
                        + (reassignments.size() == 1 ? "" : "s") + "; broker " + target.broker() + " no longer holds them.");
                lock.phase("moving");
                return moveToTrash(batches, trashes, purge);
            } catch (RuntimeException e) {
                // Half-way: reassignments may be under way or done. The marker stays, so that prestart
                // reports it and 'guardian drop --finish' completes what the controller accepted.
                lock.keepMarker();
                progress.println("The drop stopped half-way; its marker stays. Once the controller has completed the "
                        + "reassignments, finish it with 'guardian drop --finish' (or undo it with 'guardian drop --undo').");
                throw e;
            }
        }
    }

    /**
     * Finishes a drop that died (its marker has no live holder). It submits nothing new: only the
     * reassignments the controller accepted (completed, or still going on) are finished; it waits
     * for them, then moves what is still in the log dir into the batch and, if the drop was a
     * purge, deletes exactly those. A partition whose reassignment the controller never saw (the
     * drop died before or while submitting) stays where it is, and is reported. Same lock, same
     * marker, same audit as {@link #execute}.
     */
    public List<TrashBatch> finish(DropMarker dead, LocalTarget target, Map<Path, DropTrash> trashes) {
        try (DropLock lock = DropLock.acquire(target.logDirs(), roots(trashes),
                DropMarker.ofThisProcess(clock.instant(), target.broker(), dead.purge(), dead.batches()))) {
            audit.record("finishing", Json.MAPPER.createObjectNode().put("broker", target.broker())
                    .put("detail", "a drop that died in phase " + dead.phase() + " (pid " + dead.pid() + ")"));
            Set<TopicPartition> accepted = acceptedByController(dead);
            Map<TopicPartition, List<Integer>> reassignments = new LinkedHashMap<>();
            List<TrashBatch> batches = new ArrayList<>();
            for (TrashBatch b : dead.batches()) {
                List<TrashEntry> kept = new ArrayList<>();
                for (TrashEntry e : b.entries()) {
                    TopicPartition tp = new TopicPartition(e.topic(), e.partition());
                    if (accepted.contains(tp)) {
                        kept.add(e);
                        reassignments.put(tp, e.newReplicas());
                    } else {
                        progress.println(tp + ": the controller never saw its reassignment (the drop died first); it stays on broker "
                                + target.broker() + " and its directory stays in place.");
                        audit.record("finish-skipped", Json.MAPPER.createObjectNode().put("topic", e.topic())
                                .put("partition", e.partition()).put("detail", "reassignment never accepted; left in place"));
                    }
                }
                if (!kept.isEmpty()) {
                    batches.add(new TrashBatch(b.id(), b.time(), b.broker(), b.logDir(), kept));
                }
            }
            if (reassignments.isEmpty()) {
                progress.println("Nothing of the interrupted drop had reached the controller: nothing to finish, nothing was changed.");
                return List.of();
            }
            awaitCompletion(reassignments);
            progress.println("The controller confirmed " + reassignments.size() + " reassignment"
                    + (reassignments.size() == 1 ? "" : "s") + " of the interrupted drop.");
            lock.phase("moving");
            return moveToTrash(batches, trashes, dead.purge());
        }
    }

    /** The partitions of a dead drop whose reassignment the controller accepted: completed or going on. */
    private Set<TopicPartition> acceptedByController(DropMarker dead) {
        Map<TopicPartition, List<Integer>> planned = new LinkedHashMap<>();
        Map<TopicPartition, List<Integer>> before = new LinkedHashMap<>();
        dead.batches().forEach(b -> b.entries().forEach(e -> {
            planned.put(new TopicPartition(e.topic(), e.partition()), e.newReplicas());
            before.put(new TopicPartition(e.topic(), e.partition()), e.previousReplicas());
        }));
        Set<String> topics = new java.util.TreeSet<>();
        planned.keySet().forEach(tp -> topics.add(tp.topic()));
        try {
            Set<TopicPartition> ongoing = calls.await(admin.listPartitionReassignments(Set.copyOf(planned.keySet()))
                    .reassignments(), "list the reassignments in progress").keySet();
            Map<String, TopicDescription> described = calls.await(admin.describeTopics(topics).allTopicNames(),
                    "describe the topics of the interrupted drop");
            Set<TopicPartition> accepted = new java.util.LinkedHashSet<>();
            planned.forEach((tp, target) -> {
                List<Integer> now = replicasOf(described, tp);
                // Under way, the replica set is the union of old and new (seen: [2, 3, 1] for [2, 1] -> [2, 3]);
                // the listing of ongoing reassignments alone did not always show it.
                boolean underWay = ongoing.contains(tp) || (!now.equals(before.get(tp)) && now.containsAll(target));
                if (underWay || now.equals(target)) {
                    accepted.add(tp);
                } else {
                    progress.println(tp + ": replicas now " + now + ", no reassignment under way; the drop meant " + target + ".");
                }
            });
            return accepted;
        } catch (GuardianException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new GuardianException(ExitCodes.FAILED, "interrupted; nothing was changed");
            }
            throw new GuardianException(ExitCodes.FAILED, "the cluster did not say which reassignments of the interrupted drop "
                    + "it accepted: " + e.getMessage() + (e.getMessage().endsWith(".") ? "" : ".")
                    + " Nothing was changed; run --finish again when it answers.", e);
        }
    }

    private static List<Path> roots(Map<Path, DropTrash> trashes) {
        return trashes.values().stream().map(DropTrash::root).toList();
    }

    private void submit(Map<TopicPartition, List<Integer>> reassignments) {
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        reassignments.forEach((tp, replicas) -> request.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        Map<TopicPartition, KafkaFuture<Void>> results = admin.alterPartitionReassignments(request).values();
        Map<TopicPartition, KafkaFuture<Void>> inOrder = new LinkedHashMap<>();
        reassignments.keySet().forEach(tp -> inOrder.put(tp, results.get(tp)));
        List<String> failed = new ArrayList<>();
        calls.awaitEach(inOrder, tp -> "reassign " + tp, tp -> AdminCalls.Permission.of("Alter", "the cluster"),
                (tp, e) -> failed.add(tp + " (" + e.getMessage() + ")")).keySet()
                .forEach(tp -> audit.record("reassignment-submitted", Json.MAPPER.createObjectNode().put("topic", tp.topic())
                        .put("partition", tp.partition()).putPOJO("to", reassignments.get(tp))));
        if (!failed.isEmpty()) {
            audit.record("reassignment-failed", Json.MAPPER.createObjectNode().put("detail", String.join("; ", failed)));
            throw new GuardianException(ExitCodes.FAILED, "the controller did not accept the reassignment of " + String.join(", ", failed)
                    + ". No local data was moved. Reassignments that were accepted go on; see " + audit.file()
                    + " and kafka-reassign-partitions.sh --list.");
        }
    }

    private void awaitCompletion(Map<TopicPartition, List<Integer>> reassignments) {
        Instant deadline = clock.instant().plus(reassignmentTimeout);
        Set<String> topics = new java.util.TreeSet<>();
        reassignments.keySet().forEach(tp -> topics.add(tp.topic()));
        List<TopicPartition> pending = new ArrayList<>(reassignments.keySet());
        while (true) {
            try {
                Set<TopicPartition> ongoing = calls.await(admin.listPartitionReassignments(Set.copyOf(reassignments.keySet()))
                        .reassignments(), "list the reassignments in progress").keySet();
                Map<String, TopicDescription> described = calls.await(admin.describeTopics(topics).allTopicNames(),
                        "describe the reassigned topics");
                pending = new ArrayList<>();
                for (var e : reassignments.entrySet()) {
                    if (ongoing.contains(e.getKey()) || !replicasOf(described, e.getKey()).equals(e.getValue())) {
                        pending.add(e.getKey());
                    }
                }
                if (pending.isEmpty()) {
                    reassignments.forEach((tp, r) -> audit.record("reassignment-completed", Json.MAPPER.createObjectNode()
                            .put("topic", tp.topic()).put("partition", tp.partition()).putPOJO("replicas", r)));
                    return;
                }
            } catch (GuardianException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new GuardianException(ExitCodes.FAILED, "interrupted while waiting for the reassignments; no local data was moved");
                }
                progress.println("Waiting for the reassignments; " + e.getMessage());
            }
            if (clock.instant().isAfter(deadline)) {
                audit.record("reassignment-timeout", Json.MAPPER.createObjectNode().put("detail", "pending " + pending));
                throw new GuardianException(ExitCodes.FAILED, "the reassignments of " + pending + " did not complete within "
                        + Durations.human(reassignmentTimeout) + " (drop.reassignment.timeout.ms). No local data was moved; "
                        + "the controller goes on with them (kafka-reassign-partitions.sh --list).");
            }
            sleep(500);
        }
    }

    private List<TrashBatch> batches(DropCandidates planned, LocalTarget target) {
        String id = BATCH_ID.format(clock.instant()) + "-broker-" + target.broker();
        Map<String, List<TrashEntry>> byDir = new LinkedHashMap<>();
        for (PlannedDrop d : planned.plan().drops()) {
            byDir.computeIfAbsent(d.replica().logDir(), k -> new ArrayList<>()).add(new TrashEntry(d.replica().topic(),
                    d.replica().partitionId(), d.replica().bytes(), d.currentReplicas(), d.newReplicas()));
        }
        List<TrashBatch> batches = new ArrayList<>();
        byDir.forEach((dir, entries) -> batches.add(new TrashBatch(id, clock.instant().toString(), target.broker(), dir, entries)));
        return batches;
    }

    /** Moves only the directories the plan named, then (purge) deletes exactly those. */
    private List<TrashBatch> moveToTrash(List<TrashBatch> batches, Map<Path, DropTrash> trashes, boolean purge) {
        for (TrashBatch batch : batches) {
            DropTrash trash = trashes.get(Path.of(batch.logDir()));
            trash.moveIn(batch, audit);
            progress.println("Moved " + batch.entries().size() + " partition director" + (batch.entries().size() == 1 ? "y" : "ies")
                    + " (" + Sizes.human(batch.bytes()) + ") from " + batch.logDir() + " to " + trash.root().resolve(batch.id()));
            if (purge) {
                long deleted = trash.purge(batch, audit);
                progress.println("Deleted them (--purge): " + Sizes.human(deleted) + " of files by apparent size (sparse index files count in full); every path is in " + audit.file() + ".");
            }
        }
        return batches;
    }

    private static List<Integer> replicasOf(Map<String, TopicDescription> described, TopicPartition tp) {
        TopicDescription t = described.get(tp.topic());
        if (t == null) {
            return List.of();
        }
        for (TopicPartitionInfo p : t.partitions()) {
            if (p.partition() == tp.partition()) {
                return p.replicas().stream().map(Node::id).toList();
            }
        }
        return List.of();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardianException(ExitCodes.FAILED, "interrupted");
        }
    }
}
