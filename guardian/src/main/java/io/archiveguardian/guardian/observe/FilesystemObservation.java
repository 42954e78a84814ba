package io.archiveguardian.guardian.observe;

import io.archiveguardian.guardian.disk.FilesystemUsage;
import java.util.List;

/** One filesystem that holds at least one log dir; log dirs sharing it are counted once here. */
public record FilesystemObservation(FilesystemUsage usage, List<String> logDirs) {

    public FilesystemObservation {
        logDirs = List.copyOf(logDirs);
    }

    public String mount() {
        return usage.mount();
    }
}
