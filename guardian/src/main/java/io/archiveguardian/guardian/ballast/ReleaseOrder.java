package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.reserve.ReleaseRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * A manual release as the operator asked for it, checked by one set of rules for both ways of
 * asking: {@code guardian ballast release} and {@code POST /api/v1/ballast/release}. Each refusal is
 * an {@link InvalidConfigException} (exit 2, HTTP 400) worded with the names of the surface that
 * asked ({@link Names#CLI} or {@link Names#HTTP}). Free of I/O: whether two paths are the same
 * directory is the caller's {@code samePath}.
 *
 * @param logDirs  the log dirs picked (empty: none picked)
 * @param allDisks release on every data filesystem
 * @param request  how many tiers
 * @param reason   why, for the audit trail
 */
public record ReleaseOrder(List<Path> logDirs, boolean allDisks, ReleaseRequest request, String reason) {

    public ReleaseOrder {
        logDirs = List.copyOf(logDirs);
    }

    /** How one surface names each input in its refusals. */
    public record Names(String tiers, String all, String logDir, String allDisks, String reason) {
        /** The command line: {@code --tiers N}, {@code --logdir DIR}. */
        public static final Names CLI = new Names("--tiers", "--all", "--logdir", "--all-disks", "--reason");
        /** The HTTP query: {@code tiers=N}, {@code logdir=DIR}. */
        public static final Names HTTP = new Names("tiers=", "all=true", "logdir=", "all_disks=true", "reason=");

        String value(String name, Object value) {
            return name.endsWith("=") ? name + value : name + " " + value;
        }
    }

    /**
     * The rules that need nothing but the request: a reason that says something, {@code tiers} and
     * {@code all} not both, at least one tier, {@code all-disks} and picked log dirs not both.
     *
     * @param tiers how many tiers, when given (default 1)
     */
    public static ReleaseOrder of(Optional<Integer> tiers, boolean all, List<Path> logDirs, boolean allDisks,
                                  String reason, Names names) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidConfigException(names.reason() + (names.reason().endsWith("=") ? "TEXT" : " TEXT")
                    + " is required and must say why the ballast is released (it is recorded in the audit log).");
        }
        if (tiers.isPresent() && all) {
            throw new InvalidConfigException(names.value(names.tiers(), tiers.get()) + " and " + names.all()
                    + " exclude each other: give " + names.value(names.tiers(), "N") + " for N tiers, or " + names.all()
                    + " for every tier.");
        }
        if (tiers.isPresent() && tiers.get() < 1) {
            throw new InvalidConfigException(names.value(names.tiers(), tiers.get()) + ": release at least 1 tier (or "
                    + names.all() + ").");
        }
        if (allDisks && !logDirs.isEmpty()) {
            throw new InvalidConfigException(names.allDisks() + " and " + names.logDir() + " exclude each other: "
                    + names.allDisks() + " releases on every data filesystem, " + names.logDir()
                    + " on those of the log dirs it picks. Give one of them.");
        }
        ReleaseRequest request = all ? ReleaseRequest.all() : ReleaseRequest.tiers(tiers.orElse(1));
        return new ReleaseOrder(logDirs, allDisks, request, reason);
    }

    /**
     * Every picked log dir must be one of {@code known} (when the log dirs are known at all).
     *
     * @param samePath whether two paths name the same directory
     */
    public ReleaseOrder requireKnown(List<Path> known, BiPredicate<Path, Path> samePath, Names names) {
        requireKnown(logDirs, known, samePath, names);
        return this;
    }

    /** {@link #requireKnown(List, BiPredicate, Names)} for log dirs picked before an order is made. */
    public static void requireKnown(List<Path> picked, List<Path> known, BiPredicate<Path, Path> samePath, Names names) {
        List<Path> strangers = picked.stream().filter(d -> known.stream().noneMatch(k -> samePath.test(k, d))).toList();
        if (!known.isEmpty() && !strangers.isEmpty()) {
            throw new InvalidConfigException(strangers.stream().map(d -> names.value(names.logDir(), d))
                    .collect(Collectors.joining(" ")) + ": not one of the log dirs " + known
                    + "; nothing was released. Name one of them.");
        }
    }

    /**
     * With several data filesystems, the order must say which: picked log dirs or all disks.
     *
     * @param filesystems one log dir of each data filesystem, in order
     */
    public ReleaseOrder requireTarget(List<Path> filesystems, Names names) {
        if (logDirs.isEmpty() && !allDisks && filesystems.size() > 1) {
            throw new InvalidConfigException("there are " + filesystems.size() + " data filesystems ("
                    + filesystems.stream().map(Path::toString).collect(Collectors.joining(", ")) + "); name one with "
                    + names.value(names.logDir(), "DIR") + ", or release on every one with " + names.allDisks() + ".");
        }
        return this;
    }
}
