package io.archiveguardian.guardian.drop;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The local broker and the log dirs of it that a drop command works on, checked against the settings. */
public record LocalTarget(int broker, List<Path> logDirs) {

    public LocalTarget {
        logDirs = List.copyOf(logDirs);
    }

    /** @param requested the {@code --logdir} values; empty means every log dir of the broker */
    public static LocalTarget resolve(GuardianSettings settings, List<Path> requested) {
        int broker = settings.nodeId().orElseThrow(() -> new GuardianException(ExitCodes.USAGE,
                "The broker's node.id is unknown: give --broker-config (its server.properties) or node.id in --config."));
        if (requested == null || requested.isEmpty()) {
            return new LocalTarget(broker, settings.logDirs());
        }
        List<Path> dirs = new ArrayList<>();
        for (Path dir : requested) {
            Path normalized = dir.toAbsolutePath().normalize();
            if (!settings.logDirs().contains(normalized)) {
                throw new GuardianException(ExitCodes.USAGE, "--logdir " + dir + " is not a log dir of broker " + broker
                        + "; its log dirs are " + settings.logDirs());
            }
            if (!dirs.contains(normalized)) {
                dirs.add(normalized);
            }
        }
        return new LocalTarget(broker, dirs);
    }
}
