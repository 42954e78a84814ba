package io.archiveguardian.guardian.recovery;

import java.util.List;

/**
 * The free space the next broker start needs on one filesystem, with its parts and how each was
 * reached. {@code totalBytes} = local recovery + catch-up + start-up writes + margin.
 */
public record RecoveryNeed(
        String mount,
        boolean recoveryPending,
        long localRecoveryBytes,
        long catchUpBytes,
        CatchUp.Source catchUpSource,
        long startupBytes,
        long marginBytes,
        long totalBytes,
        List<String> explanation) {

    public RecoveryNeed {
        explanation = List.copyOf(explanation);
    }

    /** True when the catch-up part is an estimate rather than read from the cluster. */
    public boolean estimated() {
        return catchUpSource != CatchUp.Source.ADMIN;
    }
}
