package io.archiveguardian.guardian.disk;

/**
 * When a filesystem reaches each {@link PressureLevel}. A level is reached when usable space is
 * below its floor, or when the used ratio is at or above its ratio while usable space is also
 * below its headroom. The floor catches small disks (a 5% rest of 20 GB is too little for a
 * recovery); the headroom keeps a large disk from being judged by percent alone (5% of 20 TB
 * is a terabyte). A headroom of 0 or less turns that cap off. Leaving a level needs the ratio to
 * fall {@code hysteresisRatio} below the threshold and usable space to rise
 * {@code hysteresisBytes} above the floor and headroom, so a disk at a threshold does not flap.
 */
public record PressureThresholds(
        double warnRatio, double highRatio, double criticalRatio,
        long warnFloorBytes, long highFloorBytes, long criticalFloorBytes,
        long warnHeadroomBytes, long highHeadroomBytes, long criticalHeadroomBytes,
        double hysteresisRatio, long hysteresisBytes) {

    private static final long GIB = 1L << 30;

    /** 85/90/95% (Elasticsearch's watermarks), floors 5/2/1 GiB, headroom 200/150/100 GiB, 2% and 1 GiB hysteresis. */
    public static final PressureThresholds DEFAULTS = new PressureThresholds(0.85, 0.90, 0.95,
            5 * GIB, 2 * GIB, GIB, 200 * GIB, 150 * GIB, 100 * GIB, 0.02, GIB);

    public PressureThresholds {
        if (!(0 < warnRatio && warnRatio <= highRatio && highRatio <= criticalRatio && criticalRatio <= 1)) {
            throw new IllegalArgumentException("pressure ratios must satisfy 0 < warn <= high <= critical <= 1, got warn="
                    + warnRatio + ", high=" + highRatio + ", critical=" + criticalRatio);
        }
        if (!(warnFloorBytes >= highFloorBytes && highFloorBytes >= criticalFloorBytes && criticalFloorBytes >= 0)) {
            throw new IllegalArgumentException("free-byte floors must satisfy warn >= high >= critical >= 0, got warn="
                    + warnFloorBytes + ", high=" + highFloorBytes + ", critical=" + criticalFloorBytes);
        }
        if (hysteresisRatio < 0 || hysteresisRatio >= 1 || hysteresisBytes < 0) {
            throw new IllegalArgumentException("hysteresis must be a ratio in [0, 1) and non-negative bytes, got "
                    + hysteresisRatio + " and " + hysteresisBytes);
        }
    }

    double ratio(PressureLevel level) {
        return switch (level) {
            case WARN -> warnRatio;
            case HIGH -> highRatio;
            case CRITICAL -> criticalRatio;
            case OK -> 0;
        };
    }

    long floor(PressureLevel level) {
        return switch (level) {
            case WARN -> warnFloorBytes;
            case HIGH -> highFloorBytes;
            case CRITICAL -> criticalFloorBytes;
            case OK -> 0;
        };
    }

    long headroom(PressureLevel level) {
        return switch (level) {
            case WARN -> warnHeadroomBytes;
            case HIGH -> highHeadroomBytes;
            case CRITICAL -> criticalHeadroomBytes;
            case OK -> 0;
        };
    }
}
