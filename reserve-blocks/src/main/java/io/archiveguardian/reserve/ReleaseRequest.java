package io.archiveguardian.reserve;

import java.util.List;

/** Which armed tiers a release frees: the lowest-numbered first. */
public record ReleaseRequest(Kind kind, int count) {

    public enum Kind { TIERS, ALL }

    public ReleaseRequest {
        if (kind == Kind.TIERS && count < 1) {
            throw new IllegalArgumentException("release at least 1 tier, got " + count);
        }
    }

    /** The {@code count} lowest-numbered armed tiers (fewer if fewer are armed). */
    public static ReleaseRequest tiers(int count) {
        return new ReleaseRequest(Kind.TIERS, count);
    }

    /** Every armed tier. */
    public static ReleaseRequest all() {
        return new ReleaseRequest(Kind.ALL, Integer.MAX_VALUE);
    }

    List<Tier> select(List<Tier> tiers) {
        return tiers.stream().filter(t -> t.state() == TierState.ARMED).limit(kind == Kind.ALL ? Long.MAX_VALUE : count)
                .toList();
    }
}
