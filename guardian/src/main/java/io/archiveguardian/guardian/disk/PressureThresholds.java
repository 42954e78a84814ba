package io.archiveguardian.guardian.disk;

/**
 * When a filesystem reaches each {@link PressureLevel}. A level is reached when usable space is
 * below its floor, or when the used ratio is at or above its ratio while usable space is also
 * below its headroom. The floor catches small disks (a 5% rest of 20 GB is too little for a
 * recovery); the headroom keeps a large disk from being judged by percent alone (5% of 20 TB
 * is a terabyte). A headroom of 0 or less turns that cap off. Leaving a level needs the ratio to
 * fall {@code hysteresisRatio} below the threshold and usable space to rise
 * {@code hysteresisBytes} above the floor and headroom, so a disk at a threshold does not flap.
 *
 * <p>A floor scales with the filesystem: it takes at most {@link #FLOOR_MAX_SHARE_FACTOR} times the
 * level's free share ({@code 1 - ratio}) of the filesystem, i.e. with the default ratios at most 30%
 * (warn), 20% (high) and 10% (critical) of its size. Without that, every disk smaller than a floor
 * (1 GiB critical by default) started critical on an empty disk and a fresh sidecar released a
 * tier at once. Disks from 10 GiB (critical), 20 GiB (high) and 16.7 GiB (warn) up keep the
 * configured floors unchanged.
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

    /** A floor is capped at this many times the level's free share of the filesystem. */
    public static final double FLOOR_MAX_SHARE_FACTOR = 2.0;

    /**
     * The floor of {@code level} on a filesystem of {@code filesystemBytes} (used + usable, as the
     * used ratio counts it): the configured floor, capped at twice the level's free share of it.
     */
    long floor(PressureLevel level, long filesystemBytes) {
        long configured = floor(level);
        if (filesystemBytes <= 0 || configured <= 0) {
            return configured;
        }
        double share = Math.min(1.0, FLOOR_MAX_SHARE_FACTOR * (1.0 - ratio(level)));
        return Math.min(configured, (long) Math.floor(filesystemBytes * share));
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
