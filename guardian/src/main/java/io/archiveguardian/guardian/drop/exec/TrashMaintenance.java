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

/** {@code drop --undo} and {@code drop --empty-trash}: what happens to trashed directories afterwards. */
public final class TrashMaintenance {

    private final AuditLog audit;
    private final PrintWriter out;

    public TrashMaintenance(AuditLog audit, PrintWriter out) {
        this.audit = audit;
        this.out = out;
    }

    /**
     * What {@code --undo} would restore: the newest batch of each log dir's trash. Every manifest is
     * read (a mismatch is exit 2) and every directory checked (exit 3) before the cluster is asked
     * or anything moves; an empty trash is exit 3.
     */
    public static Map<DropTrash, TrashBatch> undoPlan(LocalTarget target, Map<Path, DropTrash> trashes) {
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        Map<DropTrash, TrashBatch> newest = new java.util.LinkedHashMap<>();
        all.forEach((trash, batches) -> {
            if (!batches.isEmpty()) {
                TrashBatch last = batches.get(batches.size() - 1);
                trash.checkRestorable(last);
                newest.put(trash, last);
            }
        });
        if (newest.isEmpty()) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the trash holds nothing to restore for " + target.logDirs());
        }
        return newest;
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
     * broker and not being reassigned; keeps the others and says why. Exit 3 when any is kept.
     */
    public int emptyTrash(Admin admin, Duration timeout, LocalTarget target, Map<Path, DropTrash> trashes) {
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS);
        int kept = 0;
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        for (DropTrash trash : trashes.values()) {
            for (TrashBatch batch : all.get(trash)) {
                List<String> unconfirmed = unconfirmed(calls, admin, target.broker(), batch);
                if (unconfirmed.isEmpty()) {
                    trash.purge(batch, audit);
                    out.println("Deleted batch " + batch.id() + " (" + Sizes.human(batch.bytes()) + ") from " + trash.root());
                } else {
                    kept++;
                    out.println("Kept batch " + batch.id() + ": " + String.join("; ", unconfirmed));
                }
            }
        }
        out.flush();
        return kept == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static List<String> unconfirmed(AdminCalls calls, Admin admin, int broker, TrashBatch batch) {
        Set<String> topics = new TreeSet<>();
        batch.entries().forEach(e -> topics.add(e.topic()));
        Map<String, TopicDescription> described = calls.await(admin.describeTopics(topics).allTopicNames(),
                "describe the topics of batch " + batch.id());
        Set<TopicPartition> ongoing = calls.await(admin.listPartitionReassignments().reassignments(),
                "list the reassignments in progress").keySet();
        List<String> problems = new ArrayList<>();
        for (TrashEntry e : batch.entries()) {
            TopicPartition tp = new TopicPartition(e.topic(), e.partition());
            if (ongoing.contains(tp)) {
                problems.add(tp + " is still being reassigned");
                continue;
            }
            TopicDescription t = described.get(e.topic());
            for (TopicPartitionInfo p : t.partitions()) {
                if (p.partition() == e.partition() && p.replicas().stream().map(Node::id).anyMatch(id -> id == broker)) {
                    problems.add(tp + " is assigned to broker " + broker + " again");
                }
            }
        }
        return problems;
    }

}
