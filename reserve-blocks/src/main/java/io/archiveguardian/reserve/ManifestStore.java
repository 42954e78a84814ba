package io.archiveguardian.reserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and crash-safely writes {@code manifest.json}; appends to {@code audit.jsonl}. */
final class ManifestStore {

    /** The manifest exists and cannot be parsed. */
    static final class CorruptManifestException extends Exception {
        CorruptManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ReserveLocation location;

    ManifestStore(ReserveLocation location) {
        this.location = location;
    }

    Optional<Manifest> read() throws CorruptManifestException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(location.manifestFile());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location.manifestFile() + ": " + e.getMessage(), e);
        }
        try {
            Manifest manifest = Json.MAPPER.readValue(bytes, Manifest.class);
            if (manifest.reserveId() == null || manifest.version() != Manifest.VERSION) {
                throw new CorruptManifestException("no reserveId or unknown version " + manifest.version(), null);
            }
            return Optional.of(manifest);
        } catch (IOException e) {
            throw new CorruptManifestException(e.getMessage(), e);
        }
    }

    void write(Manifest manifest) throws IOException {
        Durable.replace(location.manifestFile(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    }

    /** Moves a corrupt manifest aside (kept for diagnosis, never deleted) and returns where it went. */
    Path moveAside(String time) throws IOException {
        Path aside = location.manifestFile().resolveSibling(location.manifestFile().getFileName() + ".corrupt-"
                + time.replace(':', '-'));
        Files.move(location.manifestFile(), aside);
        Durable.syncDirectory(location.directory());
        return aside;
    }

    void audit(AuditEntry entry) throws IOException {
        try {
            Durable.appendLine(location.auditFile(), Json.MAPPER.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
