package io.archiveguardian.reserve;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of a reserve's tiers, in tier order (tier 1 first). Every size is a multiple of
 * {@link #ALIGNMENT} and at least {@link #MIN_TIER_BYTES}.
 */
public record TierPlan(List<Long> tierBytes) {

    /** Tier sizes are rounded down to whole 4 KiB blocks. */
    public static final long ALIGNMENT = 4096;
    public static final long MIN_TIER_BYTES = 1024 * 1024;
    public static final int MAX_TIERS = 64;

    public TierPlan {
        tierBytes = List.copyOf(tierBytes);
        if (tierBytes.isEmpty() || tierBytes.size() > MAX_TIERS) {
            throw new IllegalArgumentException("a reserve has 1 to " + MAX_TIERS + " tiers, got " + tierBytes.size());
        }
        for (int i = 0; i < tierBytes.size(); i++) {
            long size = tierBytes.get(i);
            if (size < MIN_TIER_BYTES || size % ALIGNMENT != 0) {
                throw new IllegalArgumentException("tier " + (i + 1) + " would be " + size + " bytes; each tier must be "
                        + "at least " + ByteSizes.human(MIN_TIER_BYTES) + " and a multiple of 4 KiB. "
                        + "Give a larger total size or fewer tiers.");
            }
        }
    }

    /** Splits {@code totalBytes} into {@code tiers} equal tiers (the rounding goes to the last tier). */
    public static TierPlan split(long totalBytes, int tiers) {
        return withFirstTier(totalBytes, tiers, 0);
    }

    /**
     * A small first tier of {@code firstTierBytes} (for a quick nudge) and the rest of
     * {@code totalBytes} split equally over the other tiers. {@code firstTierBytes = 0} splits equally.
     */
    public static TierPlan withFirstTier(long totalBytes, int tiers, long firstTierBytes) {
        if (tiers < 1) {
            throw new IllegalArgumentException("a reserve has at least 1 tier, got " + tiers);
        }
        List<Long> sizes = new ArrayList<>();
        long remaining = totalBytes;
        int equalTiers = tiers;
        if (firstTierBytes > 0 && tiers > 1) {
            long first = align(firstTierBytes);
            if (first >= totalBytes) {
                throw new IllegalArgumentException("the first tier (" + ByteSizes.human(firstTierBytes)
                        + ") must be smaller than the whole reserve (" + ByteSizes.human(totalBytes) + ")");
            }
            sizes.add(first);
            remaining -= first;
            equalTiers--;
        }
        long each = align(remaining / equalTiers);
        for (int i = 0; i < equalTiers - 1; i++) {
            sizes.add(each);
        }
        sizes.add(align(remaining - each * (equalTiers - 1)));
        return new TierPlan(sizes);
    }

    public int tiers() {
        return tierBytes.size();
    }

    /** The size of tier {@code index} (1-based). */
    public long tier(int index) {
        return tierBytes.get(index - 1);
    }

    public long totalBytes() {
        return tierBytes.stream().mapToLong(Long::longValue).sum();
    }

    private static long align(long bytes) {
        return bytes - Math.floorMod(bytes, ALIGNMENT);
    }
}
