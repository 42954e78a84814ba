package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianConfig;
import java.util.List;

/**
 * What {@code guardian retention check} and {@code apply} both do first: select the archive topics,
 * refuse names the cluster does not have (exit 2, nothing changed), describe the topics and the
 * brokers' own retention defaults, and plan. A topic that could not be described is a failure of
 * the check; brokers that could not be described are a warning, the plan then judging inherited
 * values as the answering brokers see them.
 *
 * @param failures the topics that could not be described
 * @param warnings what the operator should know although the check could go on
 */
public record RetentionCheck(TopicSelection selection, RetentionPlan plan, List<AdminFailure> failures,
                             List<String> warnings) {

    public RetentionCheck {
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }

    public static RetentionCheck of(GuardianConfig config, RetentionAdmin admin) {
        TopicSelection selection = RetentionSettings.selection(config);
        if (selection.isEmpty()) {
            throw new GuardianException(ExitCodes.USAGE, "No archive topics configured: give --topics or --topics-regex, "
                    + "or set " + GuardianConfig.RETENTION_TOPICS + " / " + GuardianConfig.RETENTION_TOPICS_REGEX + ".");
        }
        TopicSelection.Selected selected = selection.select(admin.topicNames());
        if (!selected.unknownNames().isEmpty()) {
            throw new GuardianException(ExitCodes.USAGE, "Unknown topic" + (selected.unknownNames().size() > 1 ? "s " : " ")
                    + selected.unknownNames() + " named in --topics / " + GuardianConfig.RETENTION_TOPICS
                    + ": no such topic in the cluster at " + admin.bootstrapServers()
                    + " (or the client's principal lacks Describe on it). Check the spelling (names are "
                    + "case-sensitive) or create the topic first. Nothing was changed.");
        }
        DescribedTopics described = admin.describe(selected.topics());
        DescribedBrokers brokers = admin.describeBrokers(admin.liveBrokers());
        List<String> warnings = brokers.failures().stream()
                .map(f -> f.message() + " " + RetentionWatcher.BROKER_VIEW_ONLY).distinct().toList();
        return new RetentionCheck(selection, RetentionPlanner.plan(described.configs(), brokers.brokers()),
                described.failures(), warnings);
    }
}
