package io.archiveguardian.reserve;

import java.util.List;

/**
 * What a release did.
 *
 * @param releasedTiers   tiers released by this call (empty when nothing was armed)
 * @param releasedBytes   their total size
 * @param usableBefore    the filesystem's usable bytes before
 * @param usableAfter     the filesystem's usable bytes after
 * @param status          the reserve afterwards
 */
public record ReleaseResult(List<Integer> releasedTiers, long releasedBytes, long usableBefore, long usableAfter,
                            ReserveStatus status) {

    public ReleaseResult {
        releasedTiers = List.copyOf(releasedTiers);
    }
}
