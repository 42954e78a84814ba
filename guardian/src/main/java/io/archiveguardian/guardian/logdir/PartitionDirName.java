package io.archiveguardian.guardian.logdir;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log dir subdirectory's name, parsed: {@code topic-N}, {@code topic-N.<uuid>-delete|-future|-stray},
 * {@code __cluster_metadata-0}, or something the broker would not accept. Topic names may contain
 * dots and dashes, so the partition number is the digits after the last dash.
 */
public record PartitionDirName(String name, PartitionKind kind, String topic, int partition) {

    public static final String METADATA_TOPIC = "__cluster_metadata";

    private static final Pattern LIVE = Pattern.compile("(.+)-(\\d{1,9})");
    private static final Pattern SPECIAL = Pattern.compile("(.+)-(\\d{1,9})\\.[A-Za-z0-9_-]+-(delete|future|stray)");

    public static PartitionDirName parse(String name) {
        Matcher special = SPECIAL.matcher(name);
        if (special.matches()) {
            PartitionKind kind = switch (special.group(3)) {
                case "delete" -> PartitionKind.DELETE;
                case "future" -> PartitionKind.FUTURE;
                default -> PartitionKind.STRAY;
            };
            return new PartitionDirName(name, kind, special.group(1), Integer.parseInt(special.group(2)));
        }
        Matcher live = LIVE.matcher(name);
        if (live.matches() && !name.startsWith(".")) {
            String topic = live.group(1);
            PartitionKind kind = METADATA_TOPIC.equals(topic) ? PartitionKind.METADATA : PartitionKind.PARTITION;
            return new PartitionDirName(name, kind, topic, Integer.parseInt(live.group(2)));
        }
        return new PartitionDirName(name, PartitionKind.UNRECOGNIZED, "", -1);
    }

    /** {@code topic-N}, the key used by the offset checkpoint files. */
    public String topicPartition() {
        return kind == PartitionKind.UNRECOGNIZED ? name : topic + "-" + partition;
    }
}
