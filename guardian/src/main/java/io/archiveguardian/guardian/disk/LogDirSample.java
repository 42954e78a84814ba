package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirTotals;
import java.time.Instant;

/** The sizes of one log dir at one time, taken from a {@link LogDirScan}, for growth rates. */
public record LogDirSample(Instant at, long logBytes, long indexApparentBytes, long indexAllocatedBytes) {

    public static LogDirSample of(LogDirScan scan) {
        LogDirTotals totals = scan.totals();
        return new LogDirSample(scan.startedAt(), totals.log().apparentBytes(), totals.indexes().apparentBytes(),
                totals.indexes().allocatedBytes());
    }
}
