package io.archiveguardian.guardian.replicas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** The JSON form of candidates and plans (CLI {@code --output json} and {@code /api/v1/drop-candidates}). */
public final class DropJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DropJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Every replica with its verdict, plus the plan. */
    public static ObjectNode candidates(DropCandidates c) {
        ObjectNode root = header(c);
        root.put("safeBytes", c.safeBytes());
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
        p.put("needBytes", plan.needBytes());
        p.put("plannedBytes", plan.plannedBytes());
        p.put("sufficient", plan.sufficient());
        p.put("shortfallBytes", plan.shortfallBytes());
        p.put("basis", plan.basis().name());
        p.put("purge", plan.purge());
        p.put("undoPossible", !plan.purge());
        p.put("savedAtStartBytes", plan.savedAtStartBytes());
        p.put("freedOnDiskBytes", plan.freedOnDiskBytes());
        p.put("diskBytesIfDeleted", plan.diskBytesIfDeleted());
        if (plan.basis() == DropPlan.Basis.START_NEED) {
            p.put("keepOnlyMoves", plan.keepOnlyMoves());
        }
        ArrayNode drops = p.putArray("drops");
        for (PlannedDrop d : plan.drops()) {
            ObjectNode o = verdict(d.replica());
            o.set("currentReplicas", MAPPER.valueToTree(d.currentReplicas()));
            o.set("newReplicas", MAPPER.valueToTree(d.newReplicas()));
            if (d.target().isPresent()) {
                o.put("target", d.target().getAsInt());
            } else {
                o.putNull("target");
            }
            o.put("currentReplicationFactor", d.currentReplicationFactor());
            o.put("resultingReplicationFactor", d.resultingReplicationFactor());
            o.put("savedAtStartBytes", d.savedAtStartBytes());
            o.set("dataStaysOn", MAPPER.valueToTree(d.dataStaysOn()));
            drops.add(o);
        }
        return p;
    }

    public static ObjectNode verdict(ReplicaVerdict v) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("topic", v.topic());
        r.put("partition", v.partitionId());
        r.put("broker", v.broker());
        r.put("logDir", v.logDir());
        r.put("bytes", v.bytes());
        r.put("safe", v.safe());
        r.put("reason", v.reason());
        r.set("safeCopies", MAPPER.valueToTree(v.safeCopies()));
        r.put("headroomBytes", v.headroomBytes());
        r.put("diskBytes", v.diskBytes());
        return r;
    }

    private static ObjectNode header(DropCandidates c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("observedAt", c.snapshot().takenAt().toString());
        ArrayNode disks = root.putArray("logDirs");
        c.request().disks().forEach(d -> disks.addObject().put("broker", d.broker()).put("logDir", d.logDir()));
        root.put("needBytes", c.request().needBytes());
        return root;
    }

    private static String key(ReplicaVerdict v) {
        TopicPartition tp = v.partition();
        return v.broker() + "/" + v.logDir() + "/" + tp;
    }
}
