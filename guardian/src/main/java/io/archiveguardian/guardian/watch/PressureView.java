package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.disk.PressureAssessment;

/**
 * A filesystem's pressure as the status API shows it: lower-case levels ({@code ok}, {@code warn},
 * {@code high}, {@code critical}) and the numeric severity of {@code guardian_disk_pressure_level}.
 *
 * @param previousLevel          the level of the pass before (the hysteresis starts from it)
 * @param ballastBytes           armed ballast on the filesystem: reclaimable, counted as used
 * @param levelWithoutBallast    the level if all ballast were released
 */
public record PressureView(String level, int severity, String previousLevel, double usedRatio, long usableBytes,
                           long ballastBytes, double usedRatioWithoutBallast, String levelWithoutBallast,
                           String reason) {

    static PressureView of(PressureAssessment a) {
        return new PressureView(a.level().label(), a.level().severity(), a.previous().label(), a.usedRatio(),
                a.usableBytes(), a.ballastBytes(), a.usedRatioWithoutBallast(), a.levelWithoutBallast().label(),
                a.reason());
    }
}
