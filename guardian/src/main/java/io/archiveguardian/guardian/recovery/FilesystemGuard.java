package io.archiveguardian.guardian.recovery;

import java.util.List;

/**
 * The recovery guard's view of one filesystem: what the next start needs there, what is usable,
 * the ballast that could be released, and the decision.
 *
 * @param armedTierBytes armed ballast tiers in release order
 */
public record FilesystemGuard(
        String mount,
        List<String> logDirs,
        boolean recoveryPending,
        long usableBytes,
        List<Long> armedTierBytes,
        RecoveryNeed need,
        PrestartDecision decision) {

    public FilesystemGuard {
        logDirs = List.copyOf(logDirs);
        armedTierBytes = List.copyOf(armedTierBytes);
    }

    public long armedBallastBytes() {
        return armedTierBytes.stream().mapToLong(Long::longValue).sum();
    }

    /** Usable space plus all armed ballast minus the need: negative means a shortfall. */
    public long headroomBytes() {
        return usableBytes + armedBallastBytes() - need.totalBytes();
    }
}
