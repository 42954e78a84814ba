package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Reads and changes {@code <state.dir>/cordons-broker-<id>.json}. A change is a read-modify-write
 * under a file lock (the sidecar and {@code guardian cordon} may both write), written to a temp file,
 * forced, moved into place atomically and the directory forced, so a crash leaves the old or the new
 * record, never half of one. A record that cannot be read is an error, not "empty": an unreadable
 * record must not make the guardian forget (or claim) a cordon.
 */
public final class CordonRecordStore {

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path stateDir;
    private final int brokerId;

    public CordonRecordStore(Path stateDir, int brokerId) {
        this.stateDir = stateDir;
        this.brokerId = brokerId;
    }

    public Path file() {
        return stateDir.resolve("cordons-broker-" + brokerId + ".json");
    }

    public CordonRecord read() {
        Path file = file();
        if (!Files.exists(file)) {
            return CordonRecord.empty(brokerId);
        }
        try {
            CordonRecord r = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), CordonRecord.class);
            if (r.brokerId() != brokerId) {
                throw new IllegalStateException(file + " is the cordon record of broker " + r.brokerId() + ", not " + brokerId);
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guardian's cordon record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies {@code change} to the record under the lock and writes the result; returns it. */
    public CordonRecord update(UnaryOperator<CordonRecord> change) {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(stateDir);
            try (FileChannel lock = FileChannel.open(stateDir.resolve("cordons-broker-" + brokerId + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lock.lock()) {
                CordonRecord before = read();
                CordonRecord after = change.apply(before);
                if (!after.equals(before)) {
                    write(after);
                }
                return after;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the guardian's cordon record in " + stateDir + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private void write(CordonRecord record) throws IOException {
        Path tmp = stateDir.resolve(file().getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(Json.writePretty(record).getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some filesystems cannot open a directory for fsync; the move itself is done
        }
    }
}
