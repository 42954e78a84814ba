package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.drop.LocalTarget;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
     * Restores the newest batch of each log dir (the broker must be stopped) and prints the
     * reassignment that re-adds the replicas, to submit before the broker starts.
     */
    public int undo(LocalTarget target, Map<Path, DropTrash> trashes) {
        List<TrashBatch> restored = new ArrayList<>();
        // every manifest is read (and checked) before anything moves: a bad one refuses the whole undo
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        for (DropTrash trash : trashes.values()) {
            List<TrashBatch> batches = all.get(trash);
            if (!batches.isEmpty()) {
                TrashBatch last = batches.get(batches.size() - 1);
                trash.restore(last, audit);
                restored.add(last);
                out.println("Restored " + last.entries().size() + " partition directories (" + Sizes.human(last.bytes())
                        + ") of batch " + last.id() + " into " + trash.logDir());
            }
        }
        if (restored.isEmpty()) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the trash holds nothing to restore for " + target.logDirs());
        }
        out.println("Before the broker starts, re-add broker " + target.broker()
                + " to these partitions (kafka-reassign-partitions.sh --execute --reassignment-json-file FILE):");
        out.println(readdJson(target.broker(), restored));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Undoes a drop that died before it moved anything (phase locked or reassigning): the local
     * directories are all in place; prints the reassignment that gives the partitions their
     * previous replica sets back, and clears the marker.
     */
    public int undoUnmoved(DropMarker dead, Map<Path, DropTrash> trashes) {
        var root = Json.MAPPER.createObjectNode().put("version", 1);
        var partitions = root.putArray("partitions");
        dead.batches().forEach(b -> b.entries().forEach(e -> partitions.addObject().put("topic", e.topic())
                .put("partition", e.partition()).putPOJO("replicas", e.previousReplicas())));
        audit.record("undo-unmoved", Json.MAPPER.createObjectNode().put("broker", dead.broker())
                .put("detail", "drop pid " + dead.pid() + " died in phase " + dead.phase() + "; no directory was moved"));
        clearMarkers(trashes);
        out.println("The interrupted drop moved no directory. Before the broker starts, give the partitions their previous "
                + "replicas back (kafka-reassign-partitions.sh --execute --reassignment-json-file FILE):");
        out.println(root.toString());
        out.flush();
        return ExitCodes.OK;
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
    public int emptyTrash(Admin admin, Duration timeout, LocalTarget target, Map<Path, DropTrash> trashes) throws Exception {
        int kept = 0;
        Map<DropTrash, List<TrashBatch>> all = new java.util.LinkedHashMap<>();
        trashes.values().forEach(t -> all.put(t, t.batches()));
        for (DropTrash trash : trashes.values()) {
            for (TrashBatch batch : all.get(trash)) {
                List<String> unconfirmed = unconfirmed(admin, timeout, target.broker(), batch);
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

    private static List<String> unconfirmed(Admin admin, Duration timeout, int broker, TrashBatch batch) throws Exception {
        Set<String> topics = new TreeSet<>();
        batch.entries().forEach(e -> topics.add(e.topic()));
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<TopicPartition> ongoing = admin.listPartitionReassignments().reassignments()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).keySet();
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

    static String readdJson(int broker, List<TrashBatch> batches) {
        var root = Json.MAPPER.createObjectNode().put("version", 1);
        var partitions = root.putArray("partitions");
        for (TrashBatch batch : batches) {
            for (TrashEntry e : batch.entries()) {
                List<Integer> replicas = new ArrayList<>(e.newReplicas());
                if (!replicas.contains(broker)) {
                    replicas.add(broker);
                }
                partitions.addObject().put("topic", e.topic()).put("partition", e.partition()).putPOJO("replicas", replicas);
            }
        }
        return root.toString();
    }
}
