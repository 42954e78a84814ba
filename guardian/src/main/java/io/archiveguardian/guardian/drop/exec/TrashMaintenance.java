package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.drop.LocalTarget;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@code drop --undo} and {@code drop --empty-trash}: what happens to trashed directories afterwards. */
public final class TrashMaintenance {

    private final AuditLog audit;
    private final PrintWriter out;

    public TrashMaintenance(AuditLog audit, PrintWriter out) {
        this.audit = audit;
        this.out = out;
    }

    /**
     * What {@code --undo} would restore: exactly the batch of one drop, never an unrelated older one.
     * {@code batch} when the operator names it; else the batches of the interrupted drop {@code dead};
     * else the batch of the last drop operation ({@link LastDrop}), refused (exit 3, naming the other
     * batches and how to restore one) when that operation moved nothing, deleted its copies, or its
     * batch is gone. A trash without that record (an older guardian) gives the newest batch of each
     * log dir. Every manifest is read (a mismatch is exit 2) and every directory checked (exit 3)
     * before the cluster is asked or anything moves; an empty trash is exit 3.
     */
    public static Map<DropTrash, TrashBatch> undoPlan(LocalTarget target, Map<Path, DropTrash> trashes,
                                                      Optional<DropMarker> dead, Optional<String> batch) {
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        if (all.values().stream().allMatch(List::isEmpty)) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the trash holds nothing to restore for " + target.logDirs());
        }
        Map<DropTrash, TrashBatch> chosen;
        if (batch.isPresent()) {
            chosen = withIds(all, Set.of(batch.get()));
            if (chosen.isEmpty()) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "no batch " + batch.get() + " in the trash of "
                        + target.logDirs() + "; nothing was restored." + others(all, Set.of()));
            }
        } else if (dead.isPresent()) {
            Set<String> ids = new TreeSet<>();
            dead.get().batches().forEach(b -> ids.add(b.id()));
            chosen = withIds(all, ids);
            if (chosen.isEmpty()) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "the interrupted drop (pid " + dead.get().pid()
                        + ", batch " + String.join(", ", ids) + ") has nothing in the trash to restore; nothing was restored."
                        + others(all, ids));
            }
        } else {
            Optional<LastDrop> last = LastDrop.newest(trashes.values());
            if (last.isEmpty()) {
                chosen = new java.util.LinkedHashMap<>();
                all.forEach((trash, batches) -> {
                    if (!batches.isEmpty()) {
                        chosen.put(trash, batches.get(batches.size() - 1));
                    }
                });
            } else {
                LastDrop l = last.get();
                chosen = LastDrop.MOVED.equals(l.outcome()) ? withIds(all, Set.of(l.batch())) : Map.of();
                if (chosen.isEmpty()) {
                    throw new GuardianException(ExitCodes.CHECK_FAILED, refusal(l) + " --undo restores only the last drop's "
                            + "own batch; nothing was restored." + others(all, Set.of(l.batch())));
                }
            }
        }
        chosen.forEach(DropTrash::checkRestorable);
        return chosen;
    }

    private static String refusal(LastDrop l) {
        String what = "the last drop (" + l.command() + ", " + l.time() + (l.batch().isEmpty() ? "" : ", batch " + l.batch()) + ")";
        return switch (l.outcome()) {
            case LastDrop.FAILED -> what + " failed and moved nothing into the trash: " + l.detail()
                    + (l.detail().endsWith(".") ? "" : ".");
            case LastDrop.PURGED -> what + " deleted its local copies (--purge): there is no undo.";
            case LastDrop.RESTORED -> what + " was restored already by --undo.";
            default -> what + ": its batch is no longer in the trash (deleted by --empty-trash?).";
        };
    }

    private static Map<DropTrash, TrashBatch> withIds(Map<DropTrash, List<TrashBatch>> all, Set<String> ids) {
        Map<DropTrash, TrashBatch> out = new java.util.LinkedHashMap<>();
        all.forEach((trash, batches) -> batches.stream().filter(b -> ids.contains(b.id())).reduce((a, b) -> b)
                .ifPresent(b -> out.put(trash, b)));
        return out;
    }

    /** The other batches, newest first, and how to restore one of them. */
    private static String others(Map<DropTrash, List<TrashBatch>> all, Set<String> except) {
        List<TrashBatch> rest = new ArrayList<>();
        all.values().forEach(batches -> batches.stream().filter(b -> !except.contains(b.id())).forEach(rest::add));
        if (rest.isEmpty()) {
            return " The trash holds no other batch.";
        }
        rest.sort(java.util.Comparator.comparing(TrashBatch::id).reversed());
        StringBuilder text = new StringBuilder(" The trash holds batches of earlier drops, which --undo leaves alone unless named: ");
        for (int i = 0; i < rest.size(); i++) {
            TrashBatch b = rest.get(i);
            text.append(i == 0 ? "" : "; ").append(b.id()).append(" (").append(b.logDir()).append(": ")
                    .append(String.join(", ", b.entries().stream().map(TrashEntry::directoryName).toList())).append(")");
        }
        return text.append(". To restore one: guardian drop ... --undo --batch ").append(rest.get(0).id()).append(" (its id).").toString();
    }

    /**
     * Re-adds the broker (stopped) to the partitions of {@code plan} through the cluster, then
     * restores their directories, so that it starts as their replica: a directory of a partition
     * not assigned to it would be a stray. When the cluster does not answer or refuses, nothing is
     * restored and {@code --undo} can simply be run again. Kafka's kafka-reassign-partitions.sh
     * cannot do the re-add: it refuses a broker that is not running ("Unknown broker id"); the
     * Admin API accepts it.
     */
    public int undo(Admin admin, Duration timeout, LocalTarget target, Map<DropTrash, TrashBatch> plan) {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        String nothing = "nothing was restored: --undo re-adds broker " + target.broker()
                + " to the partitions through the cluster before the broker starts, and ";
        requireCluster(calls, admin, nothing);
        submit(calls, admin, readd(target.broker(), List.copyOf(plan.values())), "re-add broker " + target.broker() + " to",
                nothing);
        plan.forEach((trash, batch) -> {
            trash.restore(batch, audit);
            out.println("Restored " + batch.entries().size() + " partition directories (" + Sizes.human(batch.bytes())
                    + ") of batch " + batch.id() + " into " + trash.logDir());
        });
        out.println("Start the broker: it catches these partitions up from where the restored copies end.");
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Undoes a drop that died before it moved anything (phase locked or reassigning): the local
     * directories are all in place; gives the partitions their previous replica sets back through
     * the cluster, and clears the marker. A reassignment still in progress is cancelled, which
     * returns its partition to the replicas it had (KIP-455); replacing it with the previous set
     * instead leaves Kafka 4.3.1 with a reassignment that never completes (the new copy listed as
     * both adding and removing, seen in DropAgainstBrokerStartTest). A completed one is reversed
     * with the previous set. The cluster is asked first; when it does not answer nothing changes.
     */
    public int undoUnmoved(Admin admin, Duration timeout, DropMarker dead, Map<Path, DropTrash> trashes) {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        String nothing = "nothing was changed: --undo gives the partitions their previous replicas back through the "
                + "cluster before the broker starts, and ";
        requireCluster(calls, admin, nothing);
        Map<TopicPartition, List<Integer>> previous = new java.util.LinkedHashMap<>();
        dead.batches().forEach(b -> b.entries().forEach(e -> previous.put(new TopicPartition(e.topic(), e.partition()),
                e.previousReplicas())));
        Set<TopicPartition> ongoing;
        try {
            ongoing = calls.await(admin.listPartitionReassignments(previous.keySet()).reassignments(),
                    "list the reassignments in progress").keySet();
        } catch (GuardianException e) {
            throw new GuardianException(ExitCodes.FAILED, nothing + e.getMessage(), e);
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new java.util.LinkedHashMap<>();
        previous.forEach((tp, replicas) -> request.put(tp, ongoing.contains(tp) ? Optional.empty()
                : Optional.of(new NewPartitionReassignment(replicas))));
        out.println("The interrupted drop moved no directory.");
        submit(calls, admin, request, "give back the previous replicas of", nothing);
        audit.record("undo-unmoved", Json.MAPPER.createObjectNode().put("broker", dead.broker())
                .put("detail", "drop pid " + dead.pid() + " died in phase " + dead.phase() + "; no directory was moved"));
        clearMarkers(trashes);
        out.println("Start the broker.");
        out.flush();
        return ExitCodes.OK;
    }

    private static void requireCluster(AdminCalls calls, Admin admin, String refusal) {
        try {
            calls.await(admin.describeCluster().clusterId(), "ask the cluster");
        } catch (GuardianException e) {
            throw new GuardianException(ExitCodes.FAILED, refusal + e.getMessage(), e);
        }
    }

    /**
     * Submits {@code request} with alterPartitionReassignments (an empty target cancels the
     * reassignment in progress); audited with the targets as Kafka's reassignment JSON.
     */
    private void submit(AdminCalls calls, Admin admin, Map<TopicPartition, Optional<NewPartitionReassignment>> request,
                        String what, String refusal) {
        try {
            calls.await(admin.alterPartitionReassignments(request).all(), "submit the reassignment",
                    AdminCalls.Permission.of("Alter", "the cluster"));
        } catch (GuardianException e) {
            throw new GuardianException(ExitCodes.FAILED, refusal + e.getMessage(), e);
        }
        var json = Json.MAPPER.createObjectNode().put("version", 1);
        var partitions = json.putArray("partitions");
        List<TopicPartition> cancelled = new ArrayList<>();
        request.forEach((tp, target) -> {
            if (target.isEmpty()) {
                cancelled.add(tp);
            } else {
                partitions.addObject().put("topic", tp.topic()).put("partition", tp.partition())
                        .set("replicas", Json.MAPPER.valueToTree(target.get().targetReplicas()));
            }
        });
        audit.record("reassignment-submitted", Json.MAPPER.createObjectNode().put("detail", what + " " + request.keySet())
                .<ObjectNode>set("reassignment", json).set("cancelled", Json.MAPPER.valueToTree(cancelled.stream().map(String::valueOf).toList())));
        out.println("Submitted to the controller: " + what + " " + request.size() + " partitions " + request.keySet()
                + (cancelled.isEmpty() ? "" : " (cancelled the reassignment in progress of " + cancelled + ")") + ".");
    }

    /** Re-adds {@code broker} to every partition of {@code batches}, keeping the new copies. */
    static Map<TopicPartition, Optional<NewPartitionReassignment>> readd(int broker, List<TrashBatch> batches) {
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new java.util.LinkedHashMap<>();
        for (TrashBatch batch : batches) {
            for (TrashEntry e : batch.entries()) {
                List<Integer> replicas = new ArrayList<>(e.newReplicas());
                if (!replicas.contains(broker)) {
                    replicas.add(broker);
                }
                request.put(new TopicPartition(e.topic(), e.partition()), Optional.of(new NewPartitionReassignment(replicas)));
            }
        }
        return request;
    }

    /** Removes the markers of a drop that is over (finished or undone). */
    public static void clearMarkers(Map<Path, DropTrash> trashes) {
        for (DropTrash t : trashes.values()) {
            try {
                java.nio.file.Files.deleteIfExists(t.root().resolve(DropMarker.FILE));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot remove the drop marker in " + t.root() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes trashed batches whose partitions the cluster confirms are no longer assigned to this
     * broker and not being reassigned; keeps the others and says why. A partition of a topic that
     * was deleted since (the cluster does not know it, or knows only a new topic of that name with
     * another topic id than the trashed copy's {@code partition.metadata}) is no one's replica: its
     * copy is deleted, and the output says the topic was deleted. Exit 3 when any batch is kept.
     * When the trash is empty afterwards, the record of the last drop goes with it.
     */
    public int emptyTrash(Admin admin, Duration timeout, LocalTarget target, Map<Path, DropTrash> trashes) {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        int kept = 0;
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        for (DropTrash trash : trashes.values()) {
            for (TrashBatch batch : all.get(trash)) {
                List<String> deleted = new ArrayList<>();
                List<String> unconfirmed = unconfirmed(calls, admin, target.broker(), trash, batch, deleted);
                if (unconfirmed.isEmpty()) {
                    trash.purge(batch, audit);
                    out.println("Deleted batch " + batch.id() + " (" + Sizes.human(batch.bytes()) + ") from " + trash.root()
                            + (deleted.isEmpty() ? "" : "; " + String.join("; ", deleted)));
                } else {
                    kept++;
                    out.println("Kept batch " + batch.id() + ": " + String.join("; ", unconfirmed));
                }
            }
            if (trash.batches().isEmpty()) {
                try {
                    java.nio.file.Files.deleteIfExists(trash.root().resolve(LastDrop.FILE));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot remove " + trash.root().resolve(LastDrop.FILE) + ": "
                            + e.getMessage(), e);
                }
            }
        }
        out.flush();
        return kept == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /**
     * Why a batch may not be deleted yet; empty when the cluster confirms every partition of it left
     * this broker. Partitions of deleted topics are confirmed, and named in {@code deletedTopics}.
     */
    private static List<String> unconfirmed(AdminCalls calls, Admin admin, int broker, DropTrash trash, TrashBatch batch,
                                            List<String> deletedTopics) {
        Set<String> topics = new TreeSet<>();
        batch.entries().forEach(e -> topics.add(e.topic()));
        AdminCalls shared = calls.oneDeadline();
        Map<String, TopicDescription> described = new java.util.HashMap<>();
        Set<String> gone = new TreeSet<>();
        admin.describeTopics(topics).topicNameValues().forEach((topic, future) -> {
            try {
                described.put(topic, shared.await(future, "describe topic '" + topic + "' of batch " + batch.id()));
            } catch (GuardianException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                gone.add(topic);
            }
        });
        Set<TopicPartition> ongoing = shared.await(admin.listPartitionReassignments().reassignments(),
                "list the reassignments in progress").keySet();
        List<String> problems = new ArrayList<>();
        for (TrashEntry e : batch.entries()) {
            TopicPartition tp = new TopicPartition(e.topic(), e.partition());
            TopicDescription t = described.get(e.topic());
            Optional<String> trashedId = trashedTopicId(trash.root().resolve(batch.id()).resolve(e.directoryName()));
            if (t == null || (trashedId.isPresent() && t.topicId() != null && !trashedId.get().equals(t.topicId().toString()))) {
                String why = t == null ? "topic '" + e.topic() + "' was deleted from the cluster"
                        : "topic '" + e.topic() + "' was deleted (the cluster's topic of that name has id " + t.topicId()
                                + ", the trashed copy " + trashedId.get() + ")";
                if (!deletedTopics.contains(why)) {
                    deletedTopics.add(why);
                }
                continue;
            }
            if (ongoing.contains(tp)) {
                problems.add(tp + " is still being reassigned");
                continue;
            }
            for (TopicPartitionInfo p : t.partitions()) {
                if (p.partition() == e.partition() && p.replicas().stream().map(Node::id).anyMatch(id -> id == broker)) {
                    problems.add(tp + " is assigned to broker " + broker + " again");
                }
            }
        }
        return problems;
    }

    /** The topic id in a partition directory's {@code partition.metadata} ("topic_id: ..."), if readable. */
    private static Optional<String> trashedTopicId(Path partitionDir) {
        try {
            for (String line : java.nio.file.Files.readAllLines(partitionDir.resolve("partition.metadata"))) {
                if (line.startsWith("topic_id:")) {
                    return Optional.of(line.substring("topic_id:".length()).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no metadata (an old or hand-made directory): judged by the topic's name alone
        }
        return Optional.empty();
    }

}
