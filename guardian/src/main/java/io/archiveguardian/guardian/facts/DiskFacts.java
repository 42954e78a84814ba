package io.archiveguardian.guardian.facts;

import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import java.util.List;

/**
 * What one pass knows about one filesystem, typed. The observation fills in the space; the duties
 * that own a fact add it in turn (ballast, pressure, need), so a later duty reads it here instead of
 * asking the earlier one. A fact not assessed (yet) is null.
 *
 * @param pressure           this pass's level, with hysteresis; null until the watch duty assessed it
 * @param previousPressure   the level of the pass before (entering a level is {@code pressure != previousPressure})
 * @param armedBallastBytes  armed ballast on the filesystem (reclaimable)
 * @param plannedBallastBytes every tier the reserves on it plan, armed or not
 * @param largestArmedTierBytes the largest armed tier (what one release frees at most)
 * @param needBytes          what the broker's next start needs here; null until the recovery duty assessed it
 * @param headroomBytes      usable plus releasable ballast minus the need; null with the need
 * @param cleanStartNeedBytes what a start after a clean stop would need here (start-up writes, margin); null until assessed
 */
public record DiskFacts(String mount, List<String> logDirs, long totalBytes, long usableBytes,
                        PressureLevel pressure, PressureLevel previousPressure, String pressureReason,
                        long armedBallastBytes, long plannedBallastBytes, long largestArmedTierBytes,
                        Long needBytes, Long headroomBytes, Long cleanStartNeedBytes) {

    public DiskFacts {
        logDirs = List.copyOf(logDirs);
    }

    /** The space as observed, nothing assessed yet. */
    public static DiskFacts of(FilesystemObservation fs) {
        return new DiskFacts(fs.mount(), fs.logDirs(), fs.usage().totalBytes(), fs.usage().usableBytes(),
                null, null, null, 0, 0, 0, null, null, null);
    }

    /** True when this pass assessed {@code level} and the pass before had not. */
    public boolean entered(PressureLevel level) {
        return pressure == level && previousPressure != level;
    }

    public DiskFacts withBallast(long armed, long planned, long largestArmedTier) {
        return new DiskFacts(mount, logDirs, totalBytes, usableBytes, pressure, previousPressure, pressureReason,
                armed, planned, largestArmedTier, needBytes, headroomBytes, cleanStartNeedBytes);
    }

    public DiskFacts withPressure(PressureLevel level, PressureLevel previous, String reason) {
        return new DiskFacts(mount, logDirs, totalBytes, usableBytes, level, previous, reason,
                armedBallastBytes, plannedBallastBytes, largestArmedTierBytes, needBytes, headroomBytes, cleanStartNeedBytes);
    }

    public DiskFacts withNeed(long need, long headroom) {
        return new DiskFacts(mount, logDirs, totalBytes, usableBytes, pressure, previousPressure, pressureReason,
                armedBallastBytes, plannedBallastBytes, largestArmedTierBytes, need, headroom, cleanStartNeedBytes);
    }

    public DiskFacts withCleanStartNeed(long need) {
        return new DiskFacts(mount, logDirs, totalBytes, usableBytes, pressure, previousPressure, pressureReason,
                armedBallastBytes, plannedBallastBytes, largestArmedTierBytes, needBytes, headroomBytes, need);
    }
}
