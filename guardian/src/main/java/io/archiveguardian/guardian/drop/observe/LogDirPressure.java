package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.disk.PressureAssessor;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.disk.PressureThresholds;
import io.archiveguardian.guardian.disk.SpaceSample;
import io.archiveguardian.guardian.drop.DiskPressure;
import java.time.Instant;

/**
 * Pure: a log dir's disk pressure from the totals Kafka reports for it ({@code describeLogDirs},
 * KIP-827), judged by the same {@link PressureAssessor} and thresholds the guardian judges its own
 * disks with. Kafka's {@code usableBytes} is what the broker may still write, its
 * {@code totalBytes} the filesystem's size, so used is their difference (blocks reserved for root
 * count as used, and any ballast there is used space, as the guardian counts it). Without history
 * there is no hysteresis: the level is the one the numbers reach now.
 */
public final class LogDirPressure {

    private LogDirPressure() {
    }

    public static DiskPressure of(long totalBytes, long usableBytes, PressureThresholds thresholds) {
        if (totalBytes <= 0 || usableBytes < 0) {
            return DiskPressure.UNKNOWN;
        }
        long usable = Math.min(usableBytes, totalBytes);
        PressureLevel level = PressureAssessor.assess(new SpaceSample(Instant.EPOCH, totalBytes, usable, usable, 0),
                PressureLevel.OK, thresholds).level();
        return level == PressureLevel.CRITICAL ? DiskPressure.CRITICAL : DiskPressure.NORMAL;
    }
}
