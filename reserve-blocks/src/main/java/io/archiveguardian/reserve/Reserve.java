package io.archiveguardian.reserve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
        return statusOf(location, r.manifest(), r.foreign(), r.deletions(), r.notes());
    }

    /**
     * The reserve and its filesystem's usable space read at one moment: under the reserve's lock, so
     * no release or arm of another actor falls between the two readings (a tier counts either as
     * armed or as usable space, never both or neither). Asks as a release does, so an arm in
     * progress gives way; repairs what a crash left behind, as {@link #recover} does.
     */
    public ReserveStatus readLocked() {
        if (!Files.isDirectory(location.directory())) {
            return absent();
        }
        return locked("read", false, true, ReserveSession::status);
    }

    /** Takes the lock and repairs what a crash or an outside change left behind; returns the status. */
    public ReserveStatus recover() {
        if (!Files.isDirectory(location.directory())) {
            return absent();
        }
        return locked("recover", false, false, ReserveSession::status);
    }

    /**
     * Arms (or resizes) the reserve to {@code plan}: tiers already armed at their planned size are
     * kept, others are allocated in tier order while {@code policy} allows, tiers beyond the plan
     * are removed. Stops at the first tier the policy refuses or the filesystem has no room for;
     * the tiers not armed stay planned (released) so that {@link #rearm} can restore them later.
     */
    public ArmResult arm(TierPlan plan, ArmPolicy policy, Trigger trigger, String reason) {
        return arm(plan, policy, trigger, reason, GiveWay.NEVER);
    }

    /** As {@link #arm(TierPlan, ArmPolicy, Trigger, String)}; {@code giveWay} can stop the tier being allocated. */
    public ArmResult arm(TierPlan plan, ArmPolicy policy, Trigger trigger, String reason, GiveWay giveWay) {
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
                    s.releaseTier(current.get(), trigger, "resize to " + ByteSizes.human(size) + ": " + reason, false);
                }
                ReserveSession.TierArming attempt = s.armIfAllowed(i, size, policy, trigger, reason, "arm", giveWay);
                if (attempt.armed()) {
                    armed.add(i);
                    bytes += size;
                } else {
                    incomplete = attempt.notArmed().get();
                    if (attempt.refused()) {
                        s.plan(i, size);
                    }
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
        return armNext(plan, policy, trigger, reason, GiveWay.NEVER);
    }

    /** As {@link #armNext(TierPlan, ArmPolicy, Trigger, String)}; the arm stops when {@code giveWay} gives a reason. */
    public ArmResult armNext(TierPlan plan, ArmPolicy policy, Trigger trigger, String reason, GiveWay giveWay) {
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
            int left = neverArmed.size() - 1;
            ReserveSession.TierArming attempt = s.armIfAllowed(tier.index(), tier.sizeBytes(), policy, trigger, reason, "arm",
                    giveWay);
            return attempt.armResult(planned,
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
        return rearm(policy, trigger, reason, GiveWay.NEVER);
    }

    /** As {@link #rearm(ArmPolicy, Trigger, String)}; the re-arm stops when {@code giveWay} gives a reason. */
    public RearmResult rearm(ArmPolicy policy, Trigger trigger, String reason, GiveWay giveWay) {
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
            ReserveSession.TierArming attempt = s.armIfAllowed(tier.index(), tier.sizeBytes(), policy, trigger, reason,
                    "rearm", giveWay);
            return attempt.rearmResult(s.status());
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

    private <T> T locked(String operation, boolean create, boolean urgent, Function<ReserveSession, T> body) {
        if (create) {
            createDirectory();
        }
        ReserveLock lock = ReserveLock.acquire(location.lockFile(), options.lockTimeout(), options.actor(),
                operation, urgent ? location.releaseRequestFile() : null);
        try {
            Reconciler.Reconciled r = reconciler.reconcile(true);
            ReserveSession session = new ReserveSession(location, options, store, r.manifest(), r.foreign(), r.notes());
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

    // ------------------------------------------------------------------ status and helpers

    static ReserveStatus statusOf(ReserveLocation location, Manifest manifest, List<Path> foreign, List<Path> pending,
                                  List<String> notes) {
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
                Optional.ofNullable(manifest.lastAction()), space(location), foreign, pending, notes);
    }

    private ReserveStatus absent() {
        return new ReserveStatus(location, ReserveState.ABSENT, List.of(), 0, 0, true, Optional.empty(),
                FilesystemSpace.of(location.logDir()), List.of(), List.of(), List.of());
    }

    private FilesystemSpace space() {
        return space(location);
    }

    static FilesystemSpace space(ReserveLocation location) {
        return FilesystemSpace.of(Files.isDirectory(location.directory()) ? location.directory() : location.logDir());
    }
}
