package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the running sidecar leaves in {@code state.dir} for a prestart that cannot ask the cluster:
 * per log dir, the measured write rate and when the broker was last seen running. Then the catch-up
 * is estimated as rate × time down, and said to be an estimate. Written crash-safe (temp file,
 * fsync, atomic move).
 */
public record GrowthRecord(Instant updated, Map<String, LogDir> logDirs) {

    static final String FILE = "growth.json";

    public GrowthRecord {
        logDirs = Map.copyOf(logDirs);
    }

    /** One log dir: write rate into it and the last time the broker held its lock. */
    public record LogDir(double writeBytesPerSecond, Instant brokerLastRunning) {
    }

    public static Optional<GrowthRecord> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), GrowthRecord.class));
        } catch (IOException e) {
            return Optional.empty(); // a torn or foreign file: no estimate rather than a wrong one
        }
    }

    public void write(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, Json.write(this), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
