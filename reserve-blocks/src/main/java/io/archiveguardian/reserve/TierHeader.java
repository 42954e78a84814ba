package io.archiveguardian.reserve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The first 4 KiB of every tier file: a magic line and a JSON line naming the reserve and the
 * tier. It is how the guardian recognises its own files (and leaves every other file alone).
 *
 * @param reserveId the reserve's id (from its manifest)
 * @param tier      the tier number
 * @param sizeBytes the tier file's full size
 * @param createdAt ISO-8601 instant
 */
record TierHeader(String reserveId, int tier, long sizeBytes, String createdAt) {

    static final int SIZE = 4096;
    static final String MAGIC = "KAFKA-ARCHIVE-GUARDIAN RESERVE TIER v1\n";

    byte[] toBytes() {
        byte[] out = new byte[SIZE];
        byte[] text;
        try {
            text = (MAGIC + Json.MAPPER.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    /**
     * Whether {@code file} (named as a tier) is one of ours that a crash damaged: its header never
     * reached the disk. That is a file that is empty or whose first 4 KiB read as zeros (the size
     * or the blocks were committed, the header data was not), or one that starts with our magic but
     * whose header cannot be read (torn or truncated). Any other unreadable file is not ours.
     */
    static boolean damaged(Path file) {
        if (read(file).isPresent()) {
            return false;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SIZE);
        } catch (IOException e) {
            return false;
        }
        boolean zeros = true;
        for (byte b : head) {
            if (b != 0) {
                zeros = false;
                break;
            }
        }
        if (zeros) {
            return true;
        }
        byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(magic.length, head.length);
        return Arrays.equals(Arrays.copyOf(head, n), Arrays.copyOf(magic, n));
    }

    /** The header of {@code file}, or empty when the file is missing, short or not a guardian tier file. */
    static Optional<TierHeader> read(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SIZE);
        } catch (IOException e) {
            return Optional.empty();
        }
        byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
        if (head.length < SIZE || !Arrays.equals(Arrays.copyOf(head, magic.length), magic)) {
            return Optional.empty();
        }
        int end = magic.length;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        try {
            return Optional.of(Json.MAPPER.readValue(Arrays.copyOfRange(head, magic.length, end), TierHeader.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
