package io.archiveguardian.guardian.drop.render;

import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropPlan;
import io.archiveguardian.guardian.drop.PlannedDrop;
import io.archiveguardian.guardian.drop.ReplicaVerdict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.guardian.json.Json;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** The JSON form of candidates and plans (CLI {@code --output json} and {@code /api/v1/drop-candidates}). */
public final class DropJson {

    /** Every JSON the operator sees (CLI, HTTP, audit lines): the product's one mapper, snake_case keys. */
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private DropJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Every replica with its verdict, plus the plan. */
    public static ObjectNode candidates(DropCandidates c) {
        ObjectNode root = header(c);
        root.put("safe_bytes", c.safeBytes());
        Set<String> planned = new HashSet<>();
        c.plan().drops().forEach(d -> planned.add(key(d.replica())));
        ArrayNode replicas = root.putArray("replicas");
        for (ReplicaVerdict v : c.replicas()) {
            ObjectNode r = verdict(v);
            r.put("planned", planned.contains(key(v)));
            replicas.add(r);
        }
        root.set("plan", plan(c.plan()));
        return root;
    }

    /** The plan only, with the header (what {@code guardian drop} prints). */
    public static ObjectNode planWithHeader(DropCandidates c) {
        ObjectNode root = header(c);
        root.setAll(plan(c.plan()));
        return root;
    }

    public static ObjectNode plan(DropPlan plan) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("need_bytes", plan.needBytes());
        p.put("planned_bytes", plan.plannedBytes());
        p.put("sufficient", plan.sufficient());
        p.put("shortfall_bytes", plan.shortfallBytes());
        p.put("basis", plan.basis().name());
        p.put("purge", plan.purge());
        p.put("undo_possible", !plan.purge());
        p.put("saved_at_start_bytes", plan.savedAtStartBytes());
        p.put("freed_on_disk_bytes", plan.freedOnDiskBytes());
        p.put("disk_bytes_if_deleted", plan.diskBytesIfDeleted());
        if (plan.basis() == DropPlan.Basis.START_NEED) {
            p.put("keep_only_moves", plan.keepOnlyMoves());
        }
        ArrayNode drops = p.putArray("drops");
        for (PlannedDrop d : plan.drops()) {
            ObjectNode o = verdict(d.replica());
            o.set("current_replicas", MAPPER.valueToTree(d.currentReplicas()));
            o.set("new_replicas", MAPPER.valueToTree(d.newReplicas()));
            if (d.target().isPresent()) {
                o.put("target", d.target().getAsInt());
            } else {
                o.putNull("target");
            }
            o.put("current_replication_factor", d.currentReplicationFactor());
            o.put("resulting_replication_factor", d.resultingReplicationFactor());
            o.put("saved_at_start_bytes", d.savedAtStartBytes());
            o.set("data_stays_on", MAPPER.valueToTree(d.dataStaysOn()));
            drops.add(o);
        }
        return p;
    }

    public static ObjectNode verdict(ReplicaVerdict v) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("topic", v.topic());
        r.put("partition", v.partitionId());
        r.put("broker", v.broker());
        r.put("log_dir", v.logDir());
        r.put("bytes", v.bytes());
        r.put("safe", v.safe());
        r.put("reason", v.reason());
        r.set("safe_copies", MAPPER.valueToTree(v.safeCopies()));
        r.put("headroom_bytes", v.headroomBytes());
        r.put("disk_bytes", v.diskBytes());
        return r;
    }

    private static ObjectNode header(DropCandidates c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("observed_at", c.snapshot().takenAt().toString());
        ArrayNode disks = root.putArray("log_dirs");
        c.request().disks().forEach(d -> disks.addObject().put("broker", d.broker()).put("log_dir", d.logDir()));
        root.put("need_bytes", c.request().needBytes());
        root.putObject("cluster_view").put("state", c.facts().view().name().toLowerCase(java.util.Locale.ROOT))
                .put("detail", c.facts().viewDetail());
        return root;
    }

    private static String key(ReplicaVerdict v) {
        TopicPartition tp = v.partition();
        return v.broker() + "/" + v.logDir() + "/" + tp;
    }
}
