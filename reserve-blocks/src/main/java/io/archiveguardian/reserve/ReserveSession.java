package io.archiveguardian.reserve;

import io.archiveguardian.reserve.ArmPolicy.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working state of one locked operation of a {@link Reserve}: the manifest as it changes, the
 * foreign files and notes the reconciliation found, and the operation that the manifest's last
 * action records. Every method writes the manifest and the audit log as it goes.
 */
final class ReserveSession {

    /** The reserve's own logger: a session's lines read as the reserve's. */
    private static final Logger LOG = LoggerFactory.getLogger(Reserve.class);
    /** An armed tier counts as verified when free space dropped by at least this share of its size. */
    static final double VERIFY_SHARE = 0.9;
    static final String WAITING_RELEASE = "another process or thread is waiting to release ballast";

    private final ReserveLocation location;
    private final ReserveOptions options;
    private final ManifestStore store;
    Manifest manifest;
    final List<Path> foreign;
    final List<String> notes;
    private String opAction;
    private Trigger opTrigger;
    private String opReason;
    private final List<Integer> opTiers = new ArrayList<>();
    private long opBytes;

    ReserveSession(ReserveLocation location, ReserveOptions options, ManifestStore store, Manifest manifest,
                   List<Path> foreign, List<String> notes) {
        this.location = location;
        this.options = options;
        this.store = store;
        this.manifest = manifest;
        this.foreign = foreign;
        this.notes = new ArrayList<>(notes);
    }

    /**
     * Best effort: a release must work on a full disk, so a repair that cannot be written now
     * (ENOSPC) is logged and written by a later operation; the in-memory manifest is right.
     */
    void applyRecovery(Reconciler.Reconciled r) {
        try {
            if (r.corrupt()) {
                Path aside = store.moveAside(now());
                notes.add("the corrupt manifest was moved to " + aside);
            }
            for (Path p : r.deletions()) {
                Files.deleteIfExists(p);
            }
            if (!r.deletions().isEmpty()) {
                Durable.syncDirectory(location.directory());
            }
            if (r.changed()) {
                store.write(manifest);
            }
        } catch (IOException e) {
            LOG.warn("Reserve {}: cannot write the repair of the reserve now ({}); the next operation retries",
                    location.directory(), e.toString());
            notes.add("the repair could not be written yet: " + e);
        }
        for (Reconciler.Event event : r.events()) {
            audit("recover", Trigger.RECOVERY, event.tier(), event.bytes(), event.what());
            LOG.warn("Reserve {}: {}", location.directory(), event.what());
        }
    }

    /** Records a tier of the plan that is not armed (does not touch armed tiers). */
    void plan(int index, long size) {
        Optional<Tier> current = manifest.tier(index);
        if (current.isEmpty() || (current.get().state() == TierState.RELEASED && current.get().sizeBytes() != size)) {
            manifest = manifest.with(Tier.planned(index, size));
            persist();
        }
    }

    /**
     * The one step of every arm ({@link Reserve#arm}, {@link Reserve#armNext},
     * {@link Reserve#rearm}): checks {@code policy} against the filesystem's numbers now and, when
     * it allows, allocates the tier. {@code action} is the audit action, {@code arm} or
     * {@code rearm}.
     */
    TierArming armIfAllowed(int index, long size, ArmPolicy policy, Trigger trigger, String reason, String action) {
        return armIfAllowed(index, size, policy, trigger, reason, action, GiveWay.NEVER);
    }

    /** As above; {@code giveWay} can make the allocation stop (besides a waiting release). */
    TierArming armIfAllowed(int index, long size, ArmPolicy policy, Trigger trigger, String reason, String action,
                            GiveWay giveWay) {
        Verdict verdict = policy.check(space(), size);
        if (!verdict.allowed()) {
            String participle = "rearm".equals(action) ? "re-armed" : "armed";
            return new TierArming(index, size, true, Optional.of("tier " + index + " (" + ByteSizes.human(size)
                    + ") was not " + participle + ": " + verdict.explanation()));
        }
        return new TierArming(index, size, false, armTier(index, size, trigger, reason, action, giveWay));
    }

    /**
     * What {@link #armIfAllowed} did with one tier.
     *
     * @param refused   the policy refused the tier (nothing was allocated)
     * @param notArmed  why the tier was not armed (refused, or the allocation failed), if so
     */
    record TierArming(int index, long size, boolean refused, Optional<String> notArmed) {

        boolean armed() {
            return notArmed.isEmpty();
        }

        /** The result of an arm of this one tier; {@code whenArmed} says what is still to do. */
        ArmResult armResult(long requestedBytes, Optional<String> whenArmed, ReserveStatus status) {
            return armed() ? new ArmResult(List.of(index), size, requestedBytes, whenArmed, status)
                    : new ArmResult(List.of(), 0, requestedBytes, notArmed, status);
        }

        RearmResult rearmResult(ReserveStatus status) {
            return armed() ? new RearmResult(Optional.of(index), size, Optional.empty(), status)
                    : new RearmResult(Optional.empty(), 0, notArmed, status);
        }
    }

    /** Allocates one tier; returns why it failed when the filesystem ran out of space. */
    private Optional<String> armTier(int index, long size, Trigger trigger, String reason, String action,
                                     GiveWay giveWay) {
        Path partial = location.partialFile(index);
        Path file = location.tierFile(index);
        if (Files.exists(file)) {
            throw new ForeignFileException(file);
        }
        if (Files.exists(partial)) {
            if (!ours(partial) && size(partial) != 0) {
                throw new ForeignFileException(partial);
            }
            deleteQuietly(partial);
        }
        Tier base = manifest.tier(index).orElse(Tier.planned(index, size));
        FilesystemSpace before = space();
        TierHeader header = new TierHeader(manifest.reserveId(), index, size, now());
        AllocationMethod method;
        try {
            method = new Allocator(options, () -> ReserveLock.urgentRequest(location.releaseRequestFile())
                    ? Optional.of(WAITING_RELEASE) : giveWay.reason()).allocate(partial, header, size);
            // The allocator fsynced the file (header, data, size); the manifest write below
            // fsyncs the directory, which commits the rename. Should a crash lose the rename,
            // the next operation's reconciliation removes the partial file.
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSpaceException e) {
            deleteQuietly(partial);
            String message = "out of space while arming tier " + index + ": the filesystem refused after "
                    + ByteSizes.human(e.allocatedBytes()) + " of " + ByteSizes.human(size)
                    + "; the partial tier was removed and the reserve holds " + ByteSizes.human(armedBytes())
                    + " (" + ByteSizes.human(space().usableBytes()) + " free now)";
            manifest = manifest.with(base.released(base.releasedAt(), trigger, message).resized(size));
            persist();
            audit("arm-failed", trigger, index, e.allocatedBytes(), message);
            LOG.warn("Reserve {}: {}", location.directory(), message);
            return Optional.of(message);
        } catch (ArmAbandonedException e) {
            deleteQuietly(partial);
            String message = "the arm of tier " + index + " gave way after " + ByteSizes.human(e.allocatedBytes())
                    + " of " + ByteSizes.human(size) + ": " + e.why() + "; the partial tier was removed";
            manifest = manifest.with(base.released(base.releasedAt(), trigger, message).resized(size));
            persist();
            audit("arm-abandoned", trigger, index, e.allocatedBytes(), message);
            LOG.info("Reserve {}: {}", location.directory(), message);
            return Optional.of(message);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            manifest = manifest.with(base.released(base.releasedAt(), trigger, "arm failed: " + e).resized(size));
            persist();
            audit("arm-failed", trigger, index, 0, String.valueOf(e));
            if (e instanceof ReserveException re) {
                throw re;
            }
            throw new ReserveException("cannot arm tier " + index + " at " + file + ": " + e
                    + "; the partial tier was removed", e);
        }
        options.observer().tierArmed(index, size);
        long dropped = before.usableBytes() - space().usableBytes();
        boolean verified = dropped >= size * VERIFY_SHARE;
        String note = null;
        if (!verified) {
            note = "free space dropped by only " + ByteSizes.human(dropped) + " after arming "
                    + ByteSizes.human(size) + ": the filesystem may not hold real blocks for this file "
                    + "(compression, deduplication, thin provisioning) or something freed space meanwhile";
            LOG.warn("Reserve {}: tier {}: {}", location.directory(), index, note);
        }
        manifest = manifest.with(base.resized(size).armed(method, verified, now(), trigger, note));
        done(index, size);
        persist();
        audit(action, trigger, index, size, reason);
        return Optional.empty();
    }

    void releaseTier(Tier tier, Trigger trigger, String reason, boolean partOfOperation) {
        Path file = location.tierFile(tier.index());
        try {
            if (Files.exists(file)) {
                if (!ours(file)) {
                    throw new ForeignFileException(file);
                }
                Files.delete(file);
            }
        } catch (NoSuchFileException e) {
            // gone already: released is released
        } catch (IOException e) {
            throw new ReserveException("cannot release tier " + tier.index() + " (" + file + "): " + e, e);
        }
        options.observer().tierReleased(tier.index(), tier.sizeBytes());
        manifest = manifest.with(tier.released(now(), trigger, null));
        if (partOfOperation) {
            done(tier.index(), tier.sizeBytes());
        }
        persistBestEffort();
        audit("release", trigger, tier.index(), tier.sizeBytes(), reason);
    }

    void remove(Tier tier, Trigger trigger, String reason) {
        if (tier.state() == TierState.ARMED) {
            releaseTier(tier, trigger, "tier no longer planned: " + reason, false);
        }
        manifest = manifest.without(tier.index());
        persist();
        audit("remove", trigger, tier.index(), 0, reason);
    }

    /** Starts the operation that {@link #done} records as the manifest's last action. */
    void begin(String action, Trigger trigger, String reason) {
        opAction = action;
        opTrigger = trigger;
        opReason = reason;
    }

    /** Records a tier the operation armed or released, in memory; the next manifest write saves it. */
    void done(int tier, long bytes) {
        opTiers.add(tier);
        opBytes += bytes;
        Actor actor = options.actor();
        manifest = manifest.with(new LastAction(now(), opAction, opTrigger, opTiers, opBytes, opReason, actor.user(),
                actor.pid()));
    }

    long armedBytes() {
        return manifest.tiers().stream().filter(t -> t.state() == TierState.ARMED).mapToLong(Tier::sizeBytes).sum();
    }

    boolean ours(Path file) {
        return TierHeader.read(file).map(h -> h.reserveId().equals(manifest.reserveId())).orElse(false);
    }

    void persist() {
        try {
            store.write(manifest);
        } catch (IOException e) {
            throw new ReserveException("cannot write the reserve manifest " + location.manifestFile() + ": " + e, e);
        }
    }

    /** After a release the space is free already; a manifest that cannot be written is repaired later. */
    void persistBestEffort() {
        try {
            store.write(manifest);
        } catch (IOException e) {
            LOG.warn("Reserve {}: cannot write the manifest ({}); the next operation rebuilds it from the files",
                    location.directory(), e.toString());
        }
    }

    void audit(String action, Trigger trigger, int tier, long bytes, String reason) {
        Actor actor = options.actor();
        try {
            store.audit(new AuditEntry(now(), action, trigger, tier, bytes, reason, actor.user(), actor.pid(),
                    actor.program()));
        } catch (IOException e) {
            LOG.warn("Reserve {}: cannot append to the audit log ({}): {} tier {} {} bytes, {}",
                    location.directory(), e.toString(), action, tier, bytes, reason);
        }
    }

    ReserveStatus status() {
        return Reserve.statusOf(location, manifest, foreign, List.of(), notes);
    }

    private FilesystemSpace space() {
        return Reserve.space(location);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    private static String now() {
        return Instant.now().toString();
    }
}
