package io.archiveguardian.guardian.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the replicas of a log dir from disk, for a broker that is stopped (Kafka cannot describe its
 * log dirs then). A replica's bytes are its {@code .log} segment bytes, as Kafka's own
 * {@code describeLogDirs} counts them; deleting the directory frees at least that much.
 * TODO(lead): swap to the shared log dir scanner when it lands.
 */
public final class LocalLogDirScanner {

    /** {@code topic-N}; excludes {@code -delete}, {@code -future}, {@code -stray} directories. */
    private static final Pattern PARTITION_DIR = Pattern.compile("^(.+)-(\\d+)$");
    private static final String METADATA_LOG = "__cluster_metadata-0";

    private LocalLogDirScanner() {
    }

    public static LogDirState scan(int broker, Path logDir) {
        try {
            FileStore store = Files.getFileStore(logDir);
            List<ReplicaOnDisk> replicas = new ArrayList<>();
            try (Stream<Path> children = Files.list(logDir)) {
                for (Path child : children.sorted().toList()) {
                    Optional<TopicPartition> tp = parse(child);
                    if (tp.isPresent() && Files.isDirectory(child)) {
                        replicas.add(new ReplicaOnDisk(tp.get(), segmentBytes(child), false));
                    }
                }
            }
            return new LogDirState(broker, logDir.toString(), true, store.getUsableSpace(), store.getTotalSpace(),
                    DiskPressure.UNKNOWN, replicas);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log dir " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** The partition a directory name stands for, when it is a partition directory. */
    public static Optional<TopicPartition> parse(Path dir) {
        String name = dir.getFileName().toString();
        if (name.equals(METADATA_LOG)) {
            return Optional.empty();
        }
        Matcher m = PARTITION_DIR.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TopicPartition(m.group(1), Integer.parseInt(m.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static long segmentBytes(Path partitionDir) throws IOException {
        long sum = 0;
        try (Stream<Path> files = Files.list(partitionDir)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)) {
                    sum += Files.size(f);
                }
            }
        }
        return sum;
    }
}
