package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/** One JSON object per line for every action of a drop, appended and forced to disk before the next step. */
public final class AuditLog {

    private final Path file;
    private final Clock clock;

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Writes {@code {"time", "action", ...fields}} as one line. */
    public void record(String action, ObjectNode fields) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("action", action);
        line.setAll(fields);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drop audit log " + file + ": " + e.getMessage(), e);
        }
    }
}
