package io.archiveguardian.guardian.stop;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One stop the guardian made, as a line of {@code <state.dir>/stops.jsonl}: the audit, and what a
 * restarted sidecar reads back for the cooldown and the measured shutdown time.
 */
public record StopRecord(Instant time, String host, Integer broker, String reason, String outcome, String method,
                         long pid, double seconds, String detail) {

    public static final String FILE = "stops.jsonl";

    void append(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve(FILE), Json.write(this) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    /** Every readable line, oldest first; an unreadable file or line is skipped (the audit is not a gate). */
    static List<StopRecord> readAll(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(StopRecord::parse)
                    .flatMap(Optional::stream).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<StopRecord> parse(String line) {
        try {
            JsonNode n = Json.MAPPER.readTree(line);
            return Optional.of(new StopRecord(Instant.parse(n.path("time").asText()), n.path("host").asText(),
                    n.hasNonNull("broker") ? n.get("broker").asInt() : null, n.path("reason").asText(),
                    n.path("outcome").asText(), n.path("method").asText(), n.path("pid").asLong(),
                    n.path("seconds").asDouble(), n.path("detail").asText()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
