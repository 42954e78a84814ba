package io.archiveguardian.guardian.drop.render;

import io.archiveguardian.guardian.drop.DiskRef;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropPlan;
import io.archiveguardian.guardian.drop.PlannedDrop;
import io.archiveguardian.guardian.drop.ReplicaVerdict;

import io.archiveguardian.guardian.text.Sizes;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The text form of candidates and plans, for the operator on call. */
public final class DropText {

    private DropText() {
    }

    /** The summary and every replica with its verdict. */
    public static String candidates(DropCandidates c) {
        StringBuilder out = new StringBuilder();
        long safeCount = c.replicas().stream().filter(ReplicaVerdict::safe).count();
        out.append(String.format(Locale.ROOT, "%s: %d replicas, %d safe to drop (%s).%n", where(c),
                c.replicas().size(), safeCount, Sizes.human(c.safeBytes())));
        out.append(facts(c)).append(System.lineSeparator());
        out.append(summary(c.plan())).append(System.lineSeparator());
        out.append(effects(c.plan()));
        Set<ReplicaVerdict> planned = new HashSet<>();
        c.plan().drops().forEach(d -> planned.add(d.replica()));
        if (!c.replicas().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-4s %10s %10s  %-6s %s%n", "PLAN", "BYTES", "ON DISK", "SAFE", "PARTITION  REASON"));
        }
        for (ReplicaVerdict v : c.replicas()) {
            out.append(String.format(Locale.ROOT, "%-4s %10s %10s  %-6s %s  %s%n", planned.contains(v) ? "*" : "",
                    Sizes.human(v.bytes()), Sizes.human(v.diskBytes()), v.safe() ? "safe" : "UNSAFE", v.partition(), v.reason()));
        }
        return out.toString();
    }

    /** The plan: each move with its reassignment and resulting replication factor, and what it saves and frees. */
    public static String plan(DropCandidates c) {
        StringBuilder out = new StringBuilder();
        DropPlan plan = c.plan();
        out.append("Drop plan for ").append(where(c)).append(System.lineSeparator());
        out.append(facts(c)).append(System.lineSeparator());
        out.append(summary(plan)).append(System.lineSeparator());
        for (PlannedDrop d : plan.drops()) {
            out.append(String.format(Locale.ROOT, "  %-30s %10s (%s on disk)%s  replicas %s -> %s  %s%n", d.replica().partition(),
                    Sizes.human(d.replica().bytes()), Sizes.human(d.replica().diskBytes()),
                    plan.basis() == DropPlan.Basis.START_NEED ? ", saves " + Sizes.human(d.savedAtStartBytes()) + " at start" : "",
                    d.currentReplicas(), d.newReplicas(), move(d)));
        }
        out.append(effects(plan));
        return out.toString();
    }

    /** What the verdicts rest on beyond Kafka's metadata: other brokers' disk pressure and the cluster view. */
    public static String facts(DropCandidates c) {
        String detail = c.facts().viewDetail();
        return "Copies on other brokers: a disk at critical pressure (describeLogDirs totals, the guardian's thresholds) "
                + "is not relied on. Cluster view: " + detail + (detail.endsWith(".") ? "" : ".");
    }

    /**
     * The command that carries out exactly this plan, without {@code --execute}: the replicas it
     * names, and {@code --purge} when the plan deletes the local copies.
     *
     * @param options the options that locate the broker and the cluster (as the caller was given them)
     */
    public static String command(DropCandidates c, String options) {
        StringBuilder cmd = new StringBuilder("guardian drop");
        if (!options.isBlank()) {
            cmd.append(' ').append(options.trim());
        }
        cmd.append(logDirArguments(options, c.plan().drops().stream().map(d -> d.replica().logDir()).toList()));
        c.plan().drops().forEach(d -> cmd.append(" --partition ").append(d.replica().partition()));
        if (c.plan().purge()) {
            cmd.append(" --purge");
        }
        return cmd.toString();
    }

    /**
     * " --logdir DIR" for each of {@code dirs}, once, leaving out those {@code options} already name
     * (where --logdir names the broker's log dirs, the caller's options carry them all).
     */
    public static String logDirArguments(String options, java.util.Collection<?> dirs) {
        String given = " " + options.trim() + " ";
        StringBuilder out = new StringBuilder();
        new java.util.LinkedHashSet<>(dirs).stream().map(String::valueOf)
                .filter(dir -> !given.contains(" --logdir " + dir + " "))
                .forEach(dir -> out.append(" --logdir ").append(dir));
        return out.toString();
    }

    public static String summary(DropPlan plan) {
        int moves = plan.drops().size();
        String m = moves + " move" + (moves == 1 ? "" : "s");
        if (plan.basis() == DropPlan.Basis.START_NEED && plan.needBytes() == 0) {
            return "The next start fits as it is (all ballast counted): nothing needs dropping.";
        }
        if (plan.basis() == DropPlan.Basis.START_NEED) {
            String both = String.format(Locale.ROOT, "saves %s at the next start (the dropped partitions' recovery and catch-up)"
                    + " and frees %s on disk", Sizes.human(plan.savedAtStartBytes()), Sizes.human(plan.freedOnDiskBytes()));
            if (!plan.sufficient()) {
                return String.format(Locale.ROOT, "The start is short by %s. Even with every safe replica dropped and its local copy "
                        + "deleted, the plan %s with %s: %s still missing. The safe replicas do not suffice; nothing was changed "
                        + "and nothing should be: free space another way (add disk, bring the other brokers back).",
                        Sizes.human(plan.needBytes()), both, m, Sizes.human(plan.shortfallBytes()));
            }
            String which = plan.purge()
                    ? (plan.keepOnlyMoves() < 0
                        ? "Saving at the start alone (local copies kept) does not cover it: space on disk is needed, so the plan deletes the local copies (--purge)."
                        : "Saving at the start alone would take " + plan.keepOnlyMoves() + " moves; deleting the local copies (--purge) takes fewer.")
                    : "Saving at the start covers it: the local copies can stay in the trash (undo possible), nothing needs deleting.";
            return String.format(Locale.ROOT, "The start is short by %s. %s The plan %s with %s; then the start fits.",
                    Sizes.human(plan.needBytes()), which, both, m);
        }
        if (plan.sufficient()) {
            return String.format(Locale.ROOT, "Need %s: the plan frees %s with %d move%s.", Sizes.human(plan.needBytes()),
                    Sizes.human(plan.plannedBytes()), moves, moves == 1 ? "" : "s");
        }
        return String.format(Locale.ROOT, "Need %s: the safe replicas free only %s with %d move%s, %s short.",
                Sizes.human(plan.needBytes()), Sizes.human(plan.plannedBytes()), moves, moves == 1 ? "" : "s",
                Sizes.human(plan.shortfallBytes()));
    }

    /** What happens to the local copies, said before anything is changed. */
    static String effects(DropPlan plan) {
        if (plan.drops().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (plan.purge()) {
            out.append(String.format(Locale.ROOT, "With --purge the local copies are DELETED (%s freed on disk) once the controller "
                    + "has confirmed the reassignments: there is NO UNDO. The data lives on in the replicas on the other brokers:%n",
                    Sizes.human(plan.diskBytesIfDeleted())));
            for (PlannedDrop d : plan.drops()) {
                out.append(String.format(Locale.ROOT, "    %s on brokers %s%n", d.replica().partition(), d.dataStaysOn()));
            }
        } else {
            out.append(String.format(Locale.ROOT, "The local copies move to the trash on the same disk: that frees nothing on disk "
                    + "(%s stay used) and can be undone (guardian drop --undo) until deleted. What it saves is their recovery and "
                    + "catch-up at the next start. To free the space, add --purge (deletes them, no undo) or run "
                    + "'guardian drop --empty-trash' once the broker runs again.%n", Sizes.human(plan.diskBytesIfDeleted())));
        }
        return out.toString();
    }

    private static String move(PlannedDrop d) {
        if (d.target().isPresent()) {
            return "new copy on broker " + d.target().getAsInt() + ", RF " + d.currentReplicationFactor()
                    + " -> " + d.resultingReplicationFactor();
        }
        return "no broker can hold a new copy: RF " + d.currentReplicationFactor() + " -> " + d.resultingReplicationFactor();
    }

    private static String where(DropCandidates c) {
        List<String> dirs = c.request().disks().stream().map(DiskRef::toString).toList();
        return String.join(", ", dirs);
    }
}
