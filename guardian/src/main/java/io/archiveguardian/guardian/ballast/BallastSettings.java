package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.reserve.AllocationMode;
import io.archiveguardian.reserve.ArmPolicy;
import io.archiveguardian.reserve.ReserveSize;
import io.archiveguardian.reserve.TierPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code reserve.*} configuration, parsed.
 *
 * @param reserveDirs        configured reserve dir per log dir (log.dirs order); empty list: all default
 * @param size               total size of each filesystem's reserve
 * @param tiers              number of tiers
 * @param firstTier          optional smaller first tier
 * @param rearmEnabled       whether the sidecar re-arms by itself
 * @param maxUsedPercent     the arm/re-arm safety rule (high watermark)
 * @param writeRate          write-path rate limit, bytes/s, 0 = unlimited
 * @param allocationMode     auto, fallocate or write
 * @param lockTimeout        how long to wait for another process on the same reserve
 * @param autoArm            whether the sidecar arms a reserve that a filesystem does not have yet
 */
public record BallastSettings(
        List<Optional<Path>> reserveDirs,
        ReserveSize size,
        int tiers,
        Optional<ReserveSize> firstTier,
        boolean rearmEnabled,
        double maxUsedPercent,
        long writeRate,
        AllocationMode allocationMode,
        Duration lockTimeout,
        boolean autoArm) {

    public BallastSettings {
        reserveDirs = List.copyOf(reserveDirs);
    }

    /** Reads the {@code reserve.*} keys of a validated configuration. */
    public static BallastSettings from(GuardianConfig config) {
        List<Optional<Path>> dirs = config.getList(GuardianConfig.RESERVE_DIRS).stream()
                .map(String::trim).map(s -> s.isEmpty() ? Optional.<Path>empty() : Optional.of(Path.of(s))).toList();
        String first = config.getString(GuardianConfig.RESERVE_FIRST_TIER_SIZE).trim();
        return new BallastSettings(
                dirs.stream().allMatch(Optional::isEmpty) ? List.of() : dirs,
                ReserveSize.parse(config.getString(GuardianConfig.RESERVE_SIZE)),
                config.getInt(GuardianConfig.RESERVE_TIERS),
                first.isEmpty() ? Optional.empty() : Optional.of(ReserveSize.parse(first)),
                config.getBoolean(GuardianConfig.RESERVE_REARM_ENABLED),
                config.getDouble(GuardianConfig.RESERVE_ARM_MAX_USED_PERCENT),
                config.getLong(GuardianConfig.RESERVE_WRITE_RATE),
                AllocationMode.valueOf(config.getString(GuardianConfig.RESERVE_ALLOCATION_MODE).toUpperCase(Locale.ROOT)),
                Duration.ofMillis(config.getInt(GuardianConfig.RESERVE_LOCK_TIMEOUT_MS)),
                config.getBoolean(GuardianConfig.RESERVE_AUTO_ARM));
    }

    /** The defaults of every key, for a release that cannot read any configuration. */
    public static BallastSettings defaults() {
        return from(GuardianConfig.of(java.util.Map.of()));
    }

    public BallastSettings withSize(ReserveSize newSize) {
        return new BallastSettings(reserveDirs, newSize, tiers, firstTier, rearmEnabled, maxUsedPercent, writeRate,
                allocationMode, lockTimeout, autoArm);
    }

    public BallastSettings withTiers(int newTiers) {
        return new BallastSettings(reserveDirs, size, newTiers, firstTier, rearmEnabled, maxUsedPercent, writeRate,
                allocationMode, lockTimeout, autoArm);
    }

    public BallastSettings withReserveDirs(List<Optional<Path>> dirs) {
        return new BallastSettings(dirs, size, tiers, firstTier, rearmEnabled, maxUsedPercent, writeRate,
                allocationMode, lockTimeout, autoArm);
    }

    /**
     * The plan the sidecar arms on a filesystem that has no reserve: reserve.size (and tiers, first
     * tier), or, when a recommendation from the measured write rate is known and smaller, the
     * recommendation. Fewer tiers when the size is too small for reserve.tiers tiers of at least
     * {@link TierPlan#MIN_TIER_BYTES}.
     */
    public TierPlan autoPlan(long filesystemTotalBytes, java.util.OptionalLong recommendedBytes) {
        long configured = size.resolve(filesystemTotalBytes);
        if (recommendedBytes.isEmpty() || recommendedBytes.getAsLong() >= configured) {
            return plan(filesystemTotalBytes);
        }
        long total = Math.max(TierPlan.MIN_TIER_BYTES, recommendedBytes.getAsLong());
        int n = (int) Math.max(1, Math.min(tiers, total / TierPlan.MIN_TIER_BYTES));
        long first = firstTier.map(f -> f.resolve(filesystemTotalBytes)).orElse(0L);
        if (first > 0 && first < total && first >= TierPlan.MIN_TIER_BYTES) {
            try {
                return TierPlan.withFirstTier(total, n, first);
            } catch (IllegalArgumentException e) {
                // the first tier leaves too little for the others: equal tiers
            }
        }
        return TierPlan.split(total - total % TierPlan.ALIGNMENT, n);
    }

    /** The arm / re-arm safety rule. */
    public ArmPolicy policy() {
        return ArmPolicy.maxUsedPercentAfter(maxUsedPercent);
    }

    /** The tier plan on a filesystem of {@code totalBytes}; a plan that cannot be made is a config error. */
    public TierPlan plan(long filesystemTotalBytes) {
        long total = size.resolve(filesystemTotalBytes);
        try {
            return TierPlan.withFirstTier(total, tiers, firstTier.map(f -> f.resolve(filesystemTotalBytes)).orElse(0L));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("reserve.size " + size.text() + " (" + total + " bytes) with reserve.tiers "
                    + tiers + ": " + e.getMessage());
        }
    }
}
