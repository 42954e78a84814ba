package io.archiveguardian.guardian.disk;

/**
 * The pressure of one filesystem after one sample.
 *
 * @param level                  the level now, hysteresis applied
 * @param previous               the level before this sample
 * @param usedRatio              as {@code df} shows it, ballast included
 * @param ballastBytes           ballast on this filesystem: reclaimable, shown apart
 * @param usedRatioWithoutBallast the used ratio if all ballast were released
 * @param levelWithoutBallast    the level if all ballast were released (no hysteresis)
 * @param reason                 why this level, in words, e.g. "used 91.0% >= high 90.0%"
 */
public record PressureAssessment(
        PressureLevel level,
        PressureLevel previous,
        double usedRatio,
        long usableBytes,
        long ballastBytes,
        double usedRatioWithoutBallast,
        PressureLevel levelWithoutBallast,
        String reason) {

    public boolean changed() {
        return level != previous;
    }
}
