package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Armed ballast bytes per mount point, joining each reserve to the mount its log dirs were observed on. */
public final class BallastByMount {

    private BallastByMount() {
    }

    /**
     * A reserve counts on the mount of the first of its log dirs the observation saw online; a
     * reserve none of whose log dirs was seen counts on the mount its filesystem name gives
     * ({@code "mount (device)"}, as the JDK names a filesystem).
     */
    public static Map<String, Long> of(List<ReserveView> reserves, Observation observation) {
        Map<String, String> mountOfLogDir = new HashMap<>();
        for (LogDirObservation dir : observation.logDirs()) {
            if (dir.mount() != null) {
                mountOfLogDir.put(dir.path(), dir.mount());
            }
        }
        Map<String, Long> armed = new HashMap<>();
        for (ReserveView reserve : reserves) {
            String mount = reserve.logDirs().stream().map(mountOfLogDir::get).filter(m -> m != null).findFirst()
                    .orElseGet(() -> mountOfName(reserve.filesystem()));
            armed.merge(mount, reserve.armedBytes(), Long::sum);
        }
        return Map.copyOf(armed);
    }

    static String mountOfName(String filesystem) {
        int paren = filesystem.lastIndexOf(" (");
        return paren > 0 ? filesystem.substring(0, paren) : filesystem;
    }
}
