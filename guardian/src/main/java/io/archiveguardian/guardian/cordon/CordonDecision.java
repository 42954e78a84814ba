package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.disk.PressureLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure: from each log dir's pressure level, the broker's current {@code cordoned.log.dirs} and the
 * entries the guardian recorded as its own, what to do about each log dir.
 *
 * <p>A log dir is cordoned when its level reaches {@code cordonLevel} and is not cordoned already
 * (by anyone, {@code *} included). It is uncordoned only when the level is back at {@code ok}
 * (below warn, the hysteresis) <em>and</em> the entry is the guardian's own. An entry somebody
 * else set is never removed; an entry of the guardian's that somebody else removed is forgotten.
 */
public final class CordonDecision {

    private CordonDecision() {
    }

    /**
     * @param levels      each log dir of this broker with its filesystem's pressure level (null: unknown this pass)
     * @param current     the broker's {@code cordoned.log.dirs}
     * @param ours        the log dirs the guardian cordoned and has not removed yet
     * @param cordonLevel the level at which to cordon (warn, high or critical)
     */
    public static List<CordonStep> decide(Map<String, PressureLevel> levels, CurrentCordons current, Set<String> ours,
                                          PressureLevel cordonLevel) {
        List<CordonStep> steps = new ArrayList<>();
        for (Map.Entry<String, PressureLevel> e : levels.entrySet()) {
            steps.add(decide(e.getKey(), e.getValue(), current, ours.contains(e.getKey()), cordonLevel));
        }
        return steps;
    }

    static CordonStep decide(String dir, PressureLevel level, CurrentCordons current, boolean ours, PressureLevel cordonLevel) {
        if (level == null) {
            return none(dir, "pressure unknown this pass; left as it is");
        }
        String at = "disk pressure " + level.label();
        if (level.compareTo(cordonLevel) >= 0) {
            if (current.covers(dir)) {
                return none(dir, at + "; already cordoned" + (ours ? " by the guardian" : current.lists(dir)
                        ? " by hand" : " by hand (cordoned.log.dirs=*)"));
            }
            return new CordonStep(dir, CordonStep.Kind.ADD, at + " reached cordon.level " + cordonLevel.label());
        }
        if (level == PressureLevel.OK && ours) {
            if (current.lists(dir)) {
                return new CordonStep(dir, CordonStep.Kind.REMOVE, at + ", below warn again");
            }
            return new CordonStep(dir, CordonStep.Kind.FORGET, "the guardian's entry is no longer in cordoned.log.dirs "
                    + "(changed by hand); nothing to remove");
        }
        if (ours && current.lists(dir)) {
            return none(dir, at + "; stays cordoned until the pressure is below warn");
        }
        return none(dir, at + (current.covers(dir) ? "; cordoned by hand, never undone by the guardian" : ""));
    }

    private static CordonStep none(String dir, String reason) {
        return new CordonStep(dir, CordonStep.Kind.NONE, reason);
    }
}
