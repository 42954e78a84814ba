package io.archiveguardian.guardian.retention;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which topics are archive topics: explicit names and/or a regex (matched against the whole name),
 * minus exclusions. A regex never matches internal topics: names starting with {@code __}
 * (Kafka's own, e.g. {@code __consumer_offsets}) or {@code _guardian} (the guardian's own).
 * An explicitly named topic is taken as named; exclusions win over everything. The guardian's own
 * topics ({@code guardianTopics}: the cluster view's heartbeats, events and placement) are never
 * archive topics, whatever their names.
 */
public record TopicSelection(List<String> names, Optional<Pattern> regex, Set<String> exclude, Set<String> guardianTopics) {

    public TopicSelection {
        names = List.copyOf(names);
        exclude = Set.copyOf(exclude);
        guardianTopics = Set.copyOf(guardianTopics);
    }

    public TopicSelection(List<String> names, Optional<Pattern> regex, Set<String> exclude) {
        this(names, regex, exclude, Set.of());
    }

    public boolean isEmpty() {
        return names.isEmpty() && regex.isEmpty();
    }

    public static boolean internal(String topic) {
        return topic.startsWith("__") || topic.startsWith("_guardian");
    }

    /** The selected topics among those that exist, and the explicitly named ones that do not exist. */
    public Selected select(Collection<String> existing) {
        Set<String> topics = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (exclude.contains(name) || guardianTopics.contains(name)) {
                continue;
            }
            if (existing.contains(name)) {
                topics.add(name);
            } else if (!unknown.contains(name)) {
                unknown.add(name);
            }
        }
        regex.ifPresent(p -> existing.stream()
                .filter(t -> !internal(t) && !exclude.contains(t) && !guardianTopics.contains(t) && p.matcher(t).matches())
                .forEach(topics::add));
        return new Selected(List.copyOf(topics), List.copyOf(unknown));
    }

    /** @param topics sorted; @param unknownNames explicitly named topics that do not exist */
    public record Selected(List<String> topics, List<String> unknownNames) {
    }

    /** For operators: {@code names [a, b], regex 'archive-.*', excluding [archive-tmp]}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!names.isEmpty()) {
            parts.add("names " + names);
        }
        regex.ifPresent(p -> parts.add("regex '" + p.pattern() + "'"));
        if (!exclude.isEmpty()) {
            parts.add("excluding " + new TreeSet<>(exclude));
        }
        return parts.isEmpty() ? "no topics" : String.join(", ", parts);
    }
}
