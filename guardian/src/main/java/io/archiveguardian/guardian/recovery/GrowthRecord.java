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
 * is estimated as rate × time down, and said to be an estimate. Written crash-safe as Kafka writes
 * its checkpoints (temp file, fsync, atomic move, fsync of the directory so the move survives a
 * power cut). A record that exists but cannot be read is not "no record": {@link #problem} says so,
 * and prestart reports it and follows {@code prestart.on.error} (its catch-up is then unknown).
 */
public record GrowthRecord(Instant updated, Map<String, LogDir> logDirs) {

    static final String FILE = "growth.json";

    public GrowthRecord {
        logDirs = Map.copyOf(logDirs);
    }

    /** One log dir: write rate into it and the last time the broker held its lock. */
    public record LogDir(double writeBytesPerSecond, Instant brokerLastRunning) {
    }

    /** The record, or empty when there is none or it cannot be read (see {@link #problem}). */
    public static Optional<GrowthRecord> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a torn or foreign file: no estimate rather than a wrong one; problem() says so
        }
    }

    /**
     * Why the record in {@code stateDir} exists but cannot be used (corrupt, foreign, unreadable);
     * empty when it is fine or there is none (a sidecar that never ran).
     */
    public static Optional<String> problem(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            parse(file);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("the growth record " + file + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); the catch-up is unknown. The "
                    + "running sidecar rewrites it within a minute; or delete it");
        }
    }

    private static GrowthRecord parse(Path file) throws IOException {
        GrowthRecord record = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), GrowthRecord.class);
        if (record == null || record.logDirs() == null) {
            throw new IOException("no log dirs in it");
        }
        return record;
    }

    public void write(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, Json.write(this), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
            dir.force(true); // the move is durable only once the directory is
        }
    }
}
