package io.archiveguardian.reserve;

import io.archiveguardian.testsupport.Commands;
import java.nio.file.Path;

/** What the operating system's own tools say about files: the numbers an operator would check. */
final class Disk {

    static final long MIB = 1024L * 1024;

    private Disk() {
    }

    /** Allocated bytes of a file, as {@code du -B1} reports them (st_blocks, not the apparent size). */
    static long duBytes(Path file) {
        String out = Commands.check("du", "-B1", file.toString());
        return Long.parseLong(out.trim().split("\\s+")[0]);
    }

    /** Usable bytes as {@code df} reports them. */
    static long dfAvailable(Path path) {
        String out = Commands.check("df", "-B1", "--output=avail", path.toString());
        String[] lines = out.trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim());
    }
}
