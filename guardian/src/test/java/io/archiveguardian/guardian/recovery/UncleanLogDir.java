package io.archiveguardian.guardian.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A formatted log dir as a kill -9 leaves it, for prestart tests on a small filesystem. */
final class UncleanLogDir {

    private UncleanLogDir() {
    }

    /**
     * {@code <root>/kafka-logs} with meta.properties (node 1) and .lock but no clean-shutdown marker,
     * and one segment of {@code segmentBytes} in archive-0 past its recovery point.
     */
    static Path create(Path root, int segmentBytes) throws IOException {
        Path logDir = Files.createDirectories(root.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        Path partition = Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[segmentBytes]);
        Files.writeString(logDir.resolve("recovery-point-offset-checkpoint"), "0\n1\narchive 0 0\n");
        return logDir;
    }
}
