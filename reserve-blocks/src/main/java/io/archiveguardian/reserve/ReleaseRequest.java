package io.archiveguardian.reserve;

import java.util.ArrayList;
import java.util.List;

/**
 * Which armed tiers a release frees: the lowest-numbered first. Either a count of tiers, all of
 * them, or a target ({@link #usableAtLeast}): as many as it takes to make the filesystem's usable
 * space reach a figure, judged under the reserve lock, so that two actors (prestart and the
 * sidecar) asking for the same target together release what one of them would.
 */
public record ReleaseRequest(Kind kind, int count, long targetUsableBytes) {

    public enum Kind { TIERS, ALL, USABLE_AT_LEAST }

    public ReleaseRequest {
        if (kind == Kind.TIERS && count < 1) {
            throw new IllegalArgumentException("release at least 1 tier, got " + count);
        }
        if (kind == Kind.USABLE_AT_LEAST && targetUsableBytes < 0) {
            throw new IllegalArgumentException("the usable-space target must be >= 0 bytes, got " + targetUsableBytes);
        }
    }

    public ReleaseRequest(Kind kind, int count) {
        this(kind, count, 0);
    }

    /** The {@code count} lowest-numbered armed tiers (fewer if fewer are armed). */
    public static ReleaseRequest tiers(int count) {
        return new ReleaseRequest(Kind.TIERS, count, 0);
    }

    /** Every armed tier. */
    public static ReleaseRequest all() {
        return new ReleaseRequest(Kind.ALL, Integer.MAX_VALUE, 0);
    }

    /**
     * The fewest lowest-numbered armed tiers that make usable space at least {@code bytes}, counted
     * from the usable space read under the lock: none when it is already there; every armed tier
     * when even that is not enough. A caller releases at most {@code bytes − usable} plus one tier.
     */
    public static ReleaseRequest usableAtLeast(long bytes) {
        return new ReleaseRequest(Kind.USABLE_AT_LEAST, Integer.MAX_VALUE, bytes);
    }

    List<Tier> select(List<Tier> tiers) {
        return select(tiers, 0);
    }

    /** The tiers to free, given the filesystem's usable bytes read under the lock. */
    List<Tier> select(List<Tier> tiers, long usableNow) {
        List<Tier> armed = tiers.stream().filter(t -> t.state() == TierState.ARMED).toList();
        if (kind != Kind.USABLE_AT_LEAST) {
            return armed.stream().limit(kind == Kind.ALL ? Long.MAX_VALUE : count).toList();
        }
        List<Tier> out = new ArrayList<>();
        long usable = usableNow;
        for (Tier t : armed) {
            if (usable >= targetUsableBytes) {
                break;
            }
            out.add(t);
            usable += t.sizeBytes();
        }
        return out;
    }
}
