package io.archiveguardian.reserve;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a reserve holds now.
 *
 * @param location       where it lives
 * @param state          absent, armed, partial or released
 * @param tiers          every planned tier, in order
 * @param armedBytes     bytes held by armed tiers
 * @param releasedBytes  bytes of planned tiers that hold nothing now
 * @param verified       every armed tier's allocation was confirmed by a drop in free space
 * @param lastAction     the last change, if any
 * @param space          the filesystem's numbers now
 * @param foreignFiles   files with a tier's name that the guardian did not create (never touched)
 * @param pendingCleanup partial tier files: an arm in progress in another process, or leftovers of an
 *                       interrupted one that the next changing operation removes
 * @param notes          remarks for people: a rebuilt manifest, a corrupt one moved aside
 */
public record ReserveStatus(
        ReserveLocation location,
        ReserveState state,
        List<Tier> tiers,
        long armedBytes,
        long releasedBytes,
        boolean verified,
        Optional<LastAction> lastAction,
        FilesystemSpace space,
        List<Path> foreignFiles,
        List<Path> pendingCleanup,
        List<String> notes) {

    public ReserveStatus {
        tiers = List.copyOf(tiers);
        foreignFiles = List.copyOf(foreignFiles);
        pendingCleanup = List.copyOf(pendingCleanup);
        notes = List.copyOf(notes);
    }

    public int armedTiers() {
        return (int) tiers.stream().filter(t -> t.state() == TierState.ARMED).count();
    }

    public long plannedBytes() {
        return armedBytes + releasedBytes;
    }
}
