package io.archiveguardian.guardian.retention;

import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which sidecar repairs drift: the one next to the live broker with the lowest id. Every sidecar
 * computes this alone from {@code describeCluster}; no coordination is needed, and when that broker
 * stops, the next-lowest takes over at the next pass.
 *
 * @param liveBrokers the ids of the live brokers, sorted
 * @param repairer    the elected broker id; empty when no broker is live
 * @param self        this sidecar's broker id; empty when unknown (then it never repairs)
 */
public record RepairElection(List<Integer> liveBrokers, OptionalInt repairer, OptionalInt self) {

    public RepairElection {
        liveBrokers = liveBrokers.stream().sorted().toList();
    }

    public static RepairElection of(Collection<Integer> liveBrokers, OptionalInt self) {
        OptionalInt lowest = liveBrokers.stream().mapToInt(Integer::intValue).min();
        return new RepairElection(List.copyOf(liveBrokers), lowest, self);
    }

    public boolean thisNodeRepairs() {
        return repairer.isPresent() && self.isPresent() && repairer.getAsInt() == self.getAsInt();
    }

    public String explain() {
        if (repairer.isEmpty()) {
            return "no live broker: nobody repairs";
        }
        if (self.isEmpty()) {
            return "this sidecar's node.id is unknown, so it never repairs; broker " + repairer.getAsInt()
                    + " (lowest live broker id) is the repairer";
        }
        if (thisNodeRepairs()) {
            return "this sidecar (broker " + self.getAsInt() + ") is the repairer: lowest live broker id of " + liveBrokers;
        }
        return "broker " + repairer.getAsInt() + " is the repairer (lowest live broker id of " + liveBrokers
                + "); this sidecar (broker " + self.getAsInt() + ") only reports";
    }
}
