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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reserve (ballast) of one filesystem: N tier files that hold real blocks, a manifest, an
 * audit log and a lock. Every changing operation takes the lock (waiting up to the configured
 * timeout), first repairs what a crash or an outside change left behind, and is idempotent.
 * {@link #status()} takes no lock and changes nothing.
 *
 * <pre>{@code
 * ReserveLocation where = ReservePlacement.resolve(logDir, allLogDirs, configuredDir);
 * Reserve reserve = Reserve.at(where, ReserveOptions.defaults("guardian run"));
 * reserve.arm(TierPlan.split(20L << 30, 4), ArmPolicy.maxUsedPercentAfter(90), Trigger.MANUAL, "initial");
 * reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "disk 97% used");
 * reserve.rearm(ArmPolicy.maxUsedPercentAfter(90), Trigger.SPACE_AVAILABLE, "space came back");
 * }</pre>
 */
public final class Reserve {

    private static final Logger LOG = LoggerFactory.getLogger(Reserve.class);
    /** An armed tier counts as verified when free space dropped by at least this share of its size. */
    static final double VERIFY_SHARE = 0.9;

    private final ReserveLocation location;
    private final ReserveOptions options;
    private final ManifestStore store;
    private final Reconciler reconciler;

    private Reserve(ReserveLocation location, ReserveOptions options) {
        this.location = location;
        this.options = options;
        this.store = new ManifestStore(location);
        this.reconciler = new Reconciler(location, store);
    }

    public static Reserve at(ReserveLocation location, ReserveOptions options) {
        return new Reserve(location, options);
    }

    public ReserveLocation location() {
        return location;
    }

    /** What the reserve holds now. Takes no lock, writes nothing; safe while another process works. */
    public ReserveStatus status() {
        if (!Files.isDirectory(location.directory())) {
            return absent();
        }
        Reconciler.Reconciled r = reconciler.reconcile(false);
        return statusOf(r.manifest(), r.foreign(), r.deletions(), r.notes());
    }

    /** Takes the lock and repairs what a crash or an outside change left behind; returns the status. */
    public ReserveStatus recover() {
        if (!Files.isDirectory(location.directory())) {
            return absent();
        }
        return locked("recover", false, false, Session::status);
    }

    /**
     * Arms (or resizes) the reserve to {@code plan}: tiers already armed at their planned size are
     * kept, others are allocated in tier order while {@code policy} allows, tiers beyond the plan
     * are removed. Stops at the first tier the policy refuses or the filesystem has no room for;
     * the tiers not armed stay planned (released) so that {@link #rearm} can restore them later.
     */
    public ArmResult arm(TierPlan plan, ArmPolicy policy, Trigger trigger, String reason) {
        return locked("arm", true, false, s -> {
            s.begin("arm", trigger, reason);
            List<Integer> armed = new ArrayList<>();
            long bytes = 0;
            String incomplete = null;
            for (Tier t : List.copyOf(s.manifest.tiers())) {
                if (t.index() > plan.tiers()) {
                    s.remove(t, trigger, reason);
                }
            }
            for (int i = 1; i <= plan.tiers(); i++) {
                long size = plan.tier(i);
                Optional<Tier> current = s.manifest.tier(i);
                boolean isArmed = current.isPresent() && current.get().state() == TierState.ARMED;
                if (isArmed && current.get().sizeBytes() == size) {
                    continue;
                }
                if (incomplete != null) {
                    s.plan(i, size);
                    continue;
                }
                if (isArmed) {
                    s.releaseTier(current.get(), trigger, "resize to " + ReserveSize.human(size) + ": " + reason, false);
                }
                Verdict verdict = policy.check(space(), size);
                if (!verdict.allowed()) {
                    incomplete = "tier " + i + " (" + ReserveSize.human(size) + ") was not armed: " + verdict.explanation();
                    s.plan(i, size);
                    continue;
                }
                Optional<String> failure = s.armTier(i, size, trigger, reason, "arm");
                if (failure.isEmpty()) {
                    armed.add(i);
                    bytes += size;
                } else {
                    incomplete = failure.get();
                }
            }
            return new ArmResult(armed, bytes, plan.totalBytes(), Optional.ofNullable(incomplete), s.status());
        });
    }

    /**
     * Arms at most one tier towards {@code plan}, for a sidecar that builds a reserve gently (one
     * tier per pass): the lowest-numbered tier that has never been armed. Tiers of the plan the
     * manifest does not record yet are recorded as planned; tiers it records keep their size (a
     * resize is {@link #arm}'s job); a tier that was armed and then released is left to
     * {@link #rearm}. {@code incomplete} says what is still to do, or why this tier was not armed.
     */
    public ArmResult armNext(TierPlan plan, ArmPolicy policy, Trigger trigger, String reason) {
        return locked("arm", true, false, s -> {
            s.begin("arm", trigger, reason);
            for (int i = 1; i <= plan.tiers(); i++) {
                if (s.manifest.tier(i).isEmpty()) {
                    s.plan(i, plan.tier(i));
                }
            }
            List<Tier> neverArmed = s.manifest.tiers().stream()
                    .filter(t -> t.state() == TierState.RELEASED && t.armedAt() == null).toList();
            long planned = s.manifest.tiers().stream().mapToLong(Tier::sizeBytes).sum();
            if (neverArmed.isEmpty()) {
                return new ArmResult(List.of(), 0, planned, Optional.empty(), s.status());
            }
            Tier tier = neverArmed.get(0);
            Verdict verdict = policy.check(space(), tier.sizeBytes());
            if (!verdict.allowed()) {
                return new ArmResult(List.of(), 0, planned, Optional.of("tier " + tier.index() + " ("
                        + ReserveSize.human(tier.sizeBytes()) + ") was not armed: " + verdict.explanation()), s.status());
            }
            Optional<String> failure = s.armTier(tier.index(), tier.sizeBytes(), trigger, reason, "arm");
            if (failure.isPresent()) {
                return new ArmResult(List.of(), 0, planned, failure, s.status());
            }
            int left = neverArmed.size() - 1;
            return new ArmResult(List.of(tier.index()), tier.sizeBytes(), planned,
                    left == 0 ? Optional.empty() : Optional.of(left + " more tier(s) to arm, one at a time"), s.status());
        });
    }

    /** Whether a release is waiting for this reserve's lock now (an arm in progress gives way to it). */
    public boolean releasePending() {
        return ReserveLock.urgentRequest(location.releaseRequestFile());
    }

    /**
     * Releases armed tiers, lowest-numbered first, and returns what was freed. Idempotent: with
     * nothing armed it frees nothing. Works on a full disk: it deletes before it writes. A
     * {@link ReleaseRequest#usableAtLeast} target is judged against the usable space read after
     * the lock is taken, so a release another actor made just before counts.
     */
    public ReleaseResult release(ReleaseRequest request, Trigger trigger, String reason) {
        if (!Files.isDirectory(location.directory())) {
            FilesystemSpace space = FilesystemSpace.of(location.logDir());
            return new ReleaseResult(List.of(), 0, space.usableBytes(), space.usableBytes(), absent());
        }
        return locked("release", false, true, s -> {
            s.begin("release", trigger, reason);
            long before = space().usableBytes();
            if (request.kind() == ReleaseRequest.Kind.USABLE_AT_LEAST && before < request.targetUsableBytes()) {
                before = settledUsable(s.manifest, before, request.targetUsableBytes());
            }
            List<Integer> released = new ArrayList<>();
            long bytes = 0;
            for (Tier t : request.select(s.manifest.tiers(), before)) {
                s.releaseTier(t, trigger, reason, true);
                released.add(t.index());
                bytes += t.sizeBytes();
            }
            return new ReleaseResult(released, bytes, before, space().usableBytes(), s.status());
        });
    }

    /**
     * Re-arms at most one tier: the lowest-numbered released one, and only when {@code policy}
     * allows it for the filesystem's numbers now.
     */
    public RearmResult rearm(ArmPolicy policy, Trigger trigger, String reason) {
        if (!Files.isDirectory(location.directory())) {
            return new RearmResult(Optional.empty(), 0, Optional.of("no reserve has been armed at " + location.directory()),
                    absent());
        }
        return locked("rearm", false, false, s -> {
            s.begin("rearm", trigger, reason);
            Optional<Tier> next = s.manifest.tiers().stream().filter(t -> t.state() == TierState.RELEASED).findFirst();
            if (next.isEmpty()) {
                return new RearmResult(Optional.empty(), 0,
                        Optional.of(s.manifest.tiers().isEmpty() ? "no tiers are planned" : "every tier is armed"),
                        s.status());
            }
            Tier tier = next.get();
            Verdict verdict = policy.check(space(), tier.sizeBytes());
            if (!verdict.allowed()) {
                return new RearmResult(Optional.empty(), 0, Optional.of("tier " + tier.index() + " ("
                        + ReserveSize.human(tier.sizeBytes()) + ") was not re-armed: " + verdict.explanation()),
                        s.status());
            }
            Optional<String> failure = s.armTier(tier.index(), tier.sizeBytes(), trigger, reason, "rearm");
            if (failure.isPresent()) {
                return new RearmResult(Optional.empty(), 0, failure, s.status());
            }
            return new RearmResult(Optional.of(tier.index()), tier.sizeBytes(), Optional.empty(), s.status());
        });
    }

    /** How long a target release waits for the blocks of tiers another actor has just deleted. */
    static final long SETTLE_MILLIS = 250;

    /**
     * The usable space for a target release, when the last operation was a release moments ago: a
     * deleted tier's blocks return only when the last descriptor on it closes, and a lock-free
     * status read may hold one open for an instant. Waits up to {@link #SETTLE_MILLIS} for the space
     * to show, so two actors aiming at the same target do not release one tier too many.
     */
    private long settledUsable(Manifest manifest, long usable, long target) {
        LastAction last = manifest.lastAction();
        if (last == null || !"release".equals(last.action())) {
            return usable;
        }
        try {
            if (Instant.parse(last.time()).isBefore(Instant.now().minusSeconds(2))) {
                return usable;
            }
        } catch (RuntimeException e) {
            return usable;
        }
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        long now = usable;
        while (now < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            now = space().usableBytes();
        }
        return now;
    }

    // ------------------------------------------------------------------ locking and sessions

    private <T> T locked(String operation, boolean create, boolean urgent, Function<Session, T> body) {
        if (create) {
            createDirectory();
        }
        ReserveLock lock = ReserveLock.acquire(location.lockFile(), options.lockTimeout(), options.actor(),
                operation, urgent ? location.releaseRequestFile() : null);
        try {
            Reconciler.Reconciled r = reconciler.reconcile(true);
            Session session = new Session(r.manifest(), r.foreign(), r.notes());
            session.applyRecovery(r);
            return body.apply(session);
        } finally {
            lock.close();
        }
    }

    private void createDirectory() {
        Path dir = location.directory();
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Durable.syncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new ReserveException("cannot create the reserve directory " + dir + ": " + e
                    + ". Check permissions, or configure another reserve directory on the same filesystem.", e);
        }
    }

    /** The working state of one locked operation. */
    private final class Session {
        Manifest manifest;
        final List<Path> foreign;
        final List<String> notes;
        private String opAction;
        private Trigger opTrigger;
        private String opReason;
        private final List<Integer> opTiers = new ArrayList<>();
        private long opBytes;

        Session(Manifest manifest, List<Path> foreign, List<String> notes) {
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

        /** Allocates one tier; returns why it failed when the filesystem ran out of space. */
        Optional<String> armTier(int index, long size, Trigger trigger, String reason, String action) {
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
                method = new Allocator(options, () -> ReserveLock.urgentRequest(location.releaseRequestFile()))
                        .allocate(partial, header, size);
                // The allocator fsynced the file (header, data, size); the manifest write below
                // fsyncs the directory, which commits the rename. Should a crash lose the rename,
                // the next operation's reconciliation removes the partial file.
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSpaceException e) {
                deleteQuietly(partial);
                String message = "out of space while arming tier " + index + ": the filesystem refused after "
                        + ReserveSize.human(e.allocatedBytes()) + " of " + ReserveSize.human(size)
                        + "; the partial tier was removed and the reserve holds " + ReserveSize.human(armedBytes())
                        + " (" + ReserveSize.human(space().usableBytes()) + " free now)";
                manifest = manifest.with(base.released(base.releasedAt(), trigger, message).resized(size));
                persist();
                audit("arm-failed", trigger, index, e.allocatedBytes(), message);
                LOG.warn("Reserve {}: {}", location.directory(), message);
                return Optional.of(message);
            } catch (ArmAbandonedException e) {
                deleteQuietly(partial);
                String message = "the arm of tier " + index + " gave way after " + ReserveSize.human(e.allocatedBytes())
                        + " of " + ReserveSize.human(size) + ": another process or thread is waiting to release ballast; "
                        + "the partial tier was removed";
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
                note = "free space dropped by only " + ReserveSize.human(dropped) + " after arming "
                        + ReserveSize.human(size) + ": the filesystem may not hold real blocks for this file "
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
            return statusOf(manifest, foreign, List.of(), notes);
        }
    }

    // ------------------------------------------------------------------ status and helpers

    private ReserveStatus statusOf(Manifest manifest, List<Path> foreign, List<Path> pending, List<String> notes) {
        List<Tier> tiers = manifest.tiers();
        long armed = tiers.stream().filter(t -> t.state() == TierState.ARMED).mapToLong(Tier::sizeBytes).sum();
        long notArmed = tiers.stream().filter(t -> t.state() != TierState.ARMED).mapToLong(Tier::sizeBytes).sum();
        long armedCount = tiers.stream().filter(t -> t.state() == TierState.ARMED).count();
        ReserveState state = tiers.isEmpty() ? ReserveState.ABSENT
                : armedCount == tiers.size() ? ReserveState.ARMED
                : armedCount == 0 && tiers.stream().noneMatch(t -> t.state() == TierState.ARMING) ? ReserveState.RELEASED
                : ReserveState.PARTIAL;
        boolean verified = tiers.stream().filter(t -> t.state() == TierState.ARMED).allMatch(Tier::verified);
        return new ReserveStatus(location, state, tiers, armed, notArmed, verified,
                Optional.ofNullable(manifest.lastAction()), space(), foreign, pending, notes);
    }

    private ReserveStatus absent() {
        return new ReserveStatus(location, ReserveState.ABSENT, List.of(), 0, 0, true, Optional.empty(),
                FilesystemSpace.of(location.logDir()), List.of(), List.of(), List.of());
    }

    private FilesystemSpace space() {
        return FilesystemSpace.of(Files.isDirectory(location.directory()) ? location.directory() : location.logDir());
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
