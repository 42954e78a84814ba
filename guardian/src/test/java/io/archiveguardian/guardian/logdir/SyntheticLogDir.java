package io.archiveguardian.guardian.logdir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Stream;

/** Writes a Kafka-shaped log dir with real files and the exact names a broker uses. */
final class SyntheticLogDir {

    static final long INDEX_PREALLOCATION = 10L * 1024 * 1024;

    private final Path root;

    SyntheticLogDir(Path root) {
        this.root = root;
        uncheck(() -> Files.createDirectories(root));
    }

    Path root() {
        return root;
    }

    Path dir(String name) {
        Path dir = root.resolve(name);
        uncheck(() -> Files.createDirectories(dir));
        return dir;
    }

    static String base(long offset) {
        return String.format(Locale.ROOT, "%020d", offset);
    }

    /** A closed segment: .log of {@code logBytes}, dense .index/.timeindex of the given size. */
    Path closedSegment(String partition, long baseOffset, int logBytes, int indexBytes) {
        Path dir = dir(partition);
        write(dir.resolve(base(baseOffset) + ".log"), logBytes);
        write(dir.resolve(base(baseOffset) + ".index"), indexBytes);
        write(dir.resolve(base(baseOffset) + ".timeindex"), indexBytes);
        return dir;
    }

    /** An active segment: .log of {@code logBytes}, .index/.timeindex preallocated sparse to 10 MiB. */
    Path activeSegment(String partition, long baseOffset, int logBytes) {
        Path dir = dir(partition);
        write(dir.resolve(base(baseOffset) + ".log"), logBytes);
        sparse(dir.resolve(base(baseOffset) + ".index"), INDEX_PREALLOCATION);
        sparse(dir.resolve(base(baseOffset) + ".timeindex"), INDEX_PREALLOCATION);
        return dir;
    }

    Path file(String partition, String fileName, int bytes) {
        Path file = dir(partition).resolve(fileName);
        write(file, bytes);
        return file;
    }

    void rootFile(String name, String content) {
        uncheck(() -> Files.writeString(root.resolve(name), content, StandardCharsets.UTF_8));
    }

    static void write(Path file, int bytes) {
        byte[] data = new byte[bytes];
        java.util.Arrays.fill(data, (byte) 7);
        uncheck(() -> Files.write(file, data));
    }

    static void append(Path file, int bytes) {
        uncheck(() -> Files.write(file, new byte[bytes], java.nio.file.StandardOpenOption.APPEND));
    }

    static void sparse(Path file, long length) {
        uncheck(() -> {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(length);
            }
            return null;
        });
    }

    /** Sets every directory's mtime an hour back, as in a log dir that has been settled for a while. */
    SyntheticLogDir settle() {
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        uncheck(() -> {
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : (Iterable<Path>) dirs::iterator) {
                    if (Files.isDirectory(dir)) {
                        Files.setLastModifiedTime(dir, anHourAgo);
                    }
                }
            }
            return null;
        });
        return this;
    }

    interface IoAction<T> {
        T run() throws IOException;
    }

    static <T> T uncheck(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code du -s -B1 [--apparent-size] paths...}: the reference the scanner is checked against. */
    static long du(boolean apparent, Path... paths) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("du", "-s", "-c", "-B1"));
        if (apparent) {
            command.add("--apparent-size");
        }
        for (Path p : paths) {
            command.add(p.toString());
        }
        return uncheck(() -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(command + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            String[] lines = out.strip().split("\n");
            return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]); // the "total" line
        });
    }
}
