package io.archiveguardian.guardian.retention;

import java.io.PrintWriter;
import java.util.List;

/** The text form of a plan and of apply results, for operators. */
public final class RetentionText {

    private RetentionText() {
    }

    public static void plan(PrintWriter out, TopicSelection selection, RetentionPlan plan) {
        out.println("Archive topics (" + selection.describe() + "): " + plan.topics().size());
        for (TopicAssessment t : plan.topics()) {
            out.println();
            out.println(t.topic() + "  " + t.status().label());
            out.println("  retention.ms     " + t.retentionMs().describe());
            out.println("  retention.bytes  " + t.retentionBytes().describe());
            for (ConfigChange c : t.changes()) {
                out.println("  change: " + c.describe());
            }
            for (String note : t.notes()) {
                out.println("  note: " + note);
            }
        }
        out.println();
        out.println(summary(plan));
    }

    public static String summary(RetentionPlan plan) {
        return "Summary: " + plan.count(TopicStatus.DRIFT) + " drift, " + plan.count(TopicStatus.REVIEW) + " review, "
                + plan.count(TopicStatus.INFINITE) + " infinite, " + plan.count(TopicStatus.COMPACTED) + " compacted; "
                + plan.toChange().size() + " topic(s) to change.";
    }

    public static void results(PrintWriter out, List<TopicApplyResult> results) {
        for (TopicApplyResult r : results) {
            if (r.applied()) {
                out.println(r.topic() + ": changed: " + RetentionWatcher.describeChanges(r.changes()));
            } else {
                out.println(r.topic() + ": NOT changed: " + r.failure().map(AdminFailure::message).orElse(""));
            }
        }
    }
}
