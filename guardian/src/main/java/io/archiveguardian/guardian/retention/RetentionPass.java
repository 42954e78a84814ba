package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.duty.StatusPart;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one retention check by the sidecar.
 *
 * @param time           when the pass started
 * @param repairEnabled  {@code retention.repair}
 * @param election       who repairs; empty when the cluster could not be asked
 * @param topics         the assessment of every selected topic that could be described
 * @param drifted        every finite retention value found in this pass
 * @param repairs        the topics this sidecar repaired in this pass
 * @param events         state changes since the previous pass (drift found, repaired, ...)
 * @param errors         what went wrong (unreachable cluster, missing ACL, unknown named topic)
 */
public record RetentionPass(
        Instant time,
        boolean repairEnabled,
        Optional<RepairElection> election,
        List<TopicAssessment> topics,
        List<RetentionDrift> drifted,
        List<RetentionRepair> repairs,
        List<RetentionEvent> events,
        List<String> errors) implements StatusPart {

    public RetentionPass {
        topics = List.copyOf(topics);
        drifted = List.copyOf(drifted);
        repairs = List.copyOf(repairs);
        events = List.copyOf(events);
        errors = List.copyOf(errors);
    }

    /** True when this sidecar is the elected repairer (whether or not repair is enabled). */
    public boolean electedRepairer() {
        return election.map(RepairElection::thisNodeRepairs).orElse(false);
    }

    /** Topics still finite after this pass (drift not repaired, and review topics): the drift gauge. */
    public int driftTopics() {
        List<String> repaired = repairs.stream().map(RetentionRepair::topic).toList();
        return (int) topics.stream().filter(t -> t.status().finite() && !repaired.contains(t.topic())).count();
    }

    /** The number of topics repaired in this pass: the increment of the repairs counter. */
    public int repairCount() {
        return repairs.size();
    }

    @Override
    public String statusKey() {
        return "retention";
    }
}
