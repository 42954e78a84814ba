package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.text.Sizes;
import java.util.Locale;

/**
 * Pure: decides a filesystem's {@link PressureLevel} from a sample, the previous level and the
 * thresholds. A level is entered as soon as its threshold is reached and left only when the
 * relaxed threshold (see {@link PressureThresholds}) no longer holds.
 */
public final class PressureAssessor {

    private PressureAssessor() {
    }

    public static PressureAssessment assess(SpaceSample sample, PressureLevel previous, PressureThresholds t) {
        PressureLevel strict = highestReached(sample, t, 0, 0);
        PressureLevel level = strict;
        String reason = strict == PressureLevel.OK ? "below every threshold" : why(sample, strict, t, 0, 0);
        if (strict.compareTo(previous) < 0) {
            for (int i = previous.ordinal(); i > strict.ordinal(); i--) {
                PressureLevel held = PressureLevel.values()[i];
                long hysteresisBytes = hysteresisBytes(sample, t);
                if (reached(sample, held, t, t.hysteresisRatio(), hysteresisBytes)) {
                    level = held;
                    reason = "stays " + held.label() + " until below the threshold by the hysteresis margin: "
                            + why(sample, held, t, t.hysteresisRatio(), hysteresisBytes);
                    break;
                }
            }
        }
        SpaceSample released = sample.withoutBallast();
        return new PressureAssessment(level, previous, sample.usedRatio(), sample.usableBytes(), sample.ballastBytes(),
                released.usedRatio(), highestReached(released, t, 0, 0), reason);
    }

    /**
     * The byte hysteresis, capped like the floors at the hysteresis ratio's share of the
     * filesystem: a 1 GiB margin on a 200 MB disk would hold a level for ever.
     */
    static long hysteresisBytes(SpaceSample s, PressureThresholds t) {
        long filesystem = s.usedBytes() + s.usableBytes();
        return filesystem <= 0 ? t.hysteresisBytes()
                : Math.min(t.hysteresisBytes(), (long) Math.floor(filesystem * t.hysteresisRatio()));
    }

    private static PressureLevel highestReached(SpaceSample s, PressureThresholds t, double ratioMargin, long byteMargin) {
        for (int i = PressureLevel.CRITICAL.ordinal(); i > 0; i--) {
            PressureLevel level = PressureLevel.values()[i];
            if (reached(s, level, t, ratioMargin, byteMargin)) {
                return level;
            }
        }
        return PressureLevel.OK;
    }

    private static boolean reached(SpaceSample s, PressureLevel level, PressureThresholds t, double ratioMargin, long byteMargin) {
        return belowFloor(s, level, t, byteMargin) || overRatio(s, level, t, ratioMargin, byteMargin);
    }

    private static boolean belowFloor(SpaceSample s, PressureLevel level, PressureThresholds t, long byteMargin) {
        long floor = t.floor(level, s.usedBytes() + s.usableBytes());
        return floor > 0 && s.usableBytes() < floor + byteMargin;
    }

    private static boolean overRatio(SpaceSample s, PressureLevel level, PressureThresholds t, double ratioMargin, long byteMargin) {
        boolean ratio = s.usedRatio() >= t.ratio(level) - ratioMargin;
        long headroom = t.headroom(level);
        return ratio && (headroom <= 0 || s.usableBytes() < headroom + byteMargin);
    }

    private static String why(SpaceSample s, PressureLevel level, PressureThresholds t, double ratioMargin, long byteMargin) {
        if (belowFloor(s, level, t, byteMargin)) {
            return "usable " + Sizes.human(s.usableBytes()) + " < " + level.label() + " floor "
                    + Sizes.human(t.floor(level, s.usedBytes() + s.usableBytes()) + byteMargin);
        }
        String text = String.format(Locale.ROOT, "used %.1f%% >= %s %.1f%%", 100 * s.usedRatio(), level.label(),
                100 * (t.ratio(level) - ratioMargin));
        long headroom = t.headroom(level);
        return headroom <= 0 ? text : text + " and usable " + Sizes.human(s.usableBytes()) + " < headroom "
                + Sizes.human(headroom + byteMargin);
    }
}
