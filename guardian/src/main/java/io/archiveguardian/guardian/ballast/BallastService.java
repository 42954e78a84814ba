package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.reserve.GiveWay;
import io.archiveguardian.reserve.ArmResult;
import io.archiveguardian.reserve.FilesystemSpace;
import io.archiveguardian.reserve.ForeignFileException;
import io.archiveguardian.reserve.PlacementRefusedException;
import io.archiveguardian.reserve.RearmResult;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.Reserve;
import io.archiveguardian.reserve.ReserveException;
import io.archiveguardian.reserve.ReserveLocation;
import io.archiveguardian.reserve.ReserveLockedException;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.ReserveOptions;
import io.archiveguardian.reserve.ReservePlacement;
import io.archiveguardian.reserve.ReserveStatus;
import io.archiveguardian.reserve.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The guardian's ballast: one reserve per data filesystem, for the CLI and the sidecar. Every
 * method works on each filesystem in {@code log.dirs} order (or on one, when a log dir is named)
 * and turns library failures into {@link GuardianException}s with the CLI's exit codes.
 */
public final class BallastService {

    /** What one operation did on one filesystem. */
    public record Outcome<T>(FilesystemReserve filesystem, T result) {
    }

    private final List<FilesystemReserve> filesystems;
    private final BallastSettings settings;

    private BallastService(List<FilesystemReserve> filesystems, BallastSettings settings) {
        this.filesystems = List.copyOf(filesystems);
        this.settings = settings;
    }

    /** The reserves of every log dir in the settings, configured by their {@code reserve.*} keys. */
    public static BallastService create(GuardianSettings settings, String program, ReserveObserver observer) {
        return create(settings.logDirs(), BallastSettings.from(settings.config()), program, observer);
    }

    /**
     * The reserves of {@code logDirs} ({@code log.dirs} order). Fails with exit code 2 when a
     * configured reserve dir breaks a placement rule or reserve.dirs does not match log.dirs.
     */
    public static BallastService create(List<Path> logDirs, BallastSettings settings, String program,
                                        ReserveObserver observer) {
        if (!settings.reserveDirs().isEmpty() && settings.reserveDirs().size() != logDirs.size()) {
            throw new InvalidConfigException("reserve.dirs has " + settings.reserveDirs().size() + " entries but there are "
                    + logDirs.size() + " log dirs " + logDirs + ". Give one entry per log dir, in the order of "
                    + "log.dirs (an empty entry keeps the default), or leave reserve.dirs empty.");
        }
        ReserveOptions options = ReserveOptions.defaults(program)
                .withAllocationMode(settings.allocationMode())
                .withWriteRate(settings.writeRate())
                .withLockTimeout(settings.lockTimeout())
                .withObserver(observer);
        Map<Long, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < logDirs.size(); i++) {
            Path dir = logDirs.get(i);
            if (!Files.isDirectory(dir)) {
                throw new InvalidConfigException("log dir " + dir + " does not exist or is not a directory. Check "
                        + "log.dirs or --logdir.");
            }
            byDevice.computeIfAbsent(ReservePlacement.device(dir), d -> new ArrayList<>()).add(i);
        }
        List<FilesystemReserve> filesystems = new ArrayList<>();
        for (List<Integer> indices : byDevice.values()) {
            Path owner = logDirs.get(indices.get(0));
            Optional<Path> configured = configuredDir(settings, logDirs, indices);
            ReserveLocation location;
            try {
                location = ReservePlacement.resolve(owner, logDirs, configured);
            } catch (PlacementRefusedException e) {
                throw new InvalidConfigException("reserve.dirs: " + e.getMessage(), e);
            }
            List<Path> real = indices.stream().map(i -> realPath(logDirs.get(i))).toList();
            filesystems.add(new FilesystemReserve(realPath(owner), real, filesystemName(owner),
                    Reserve.at(location, options)));
        }
        return new BallastService(filesystems, settings);
    }

    private static Optional<Path> configuredDir(BallastSettings settings, List<Path> logDirs, List<Integer> indices) {
        if (settings.reserveDirs().isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> first = settings.reserveDirs().get(indices.get(0));
        for (int i : indices) {
            Optional<Path> other = settings.reserveDirs().get(i);
            if (other.isPresent() && !other.equals(first)) {
                throw new InvalidConfigException("log dirs " + logDirs.get(indices.get(0)) + " and " + logDirs.get(i)
                        + " are on the same filesystem, which has one reserve, but reserve.dirs gives them different "
                        + "directories (" + first.map(Path::toString).orElse("default") + ", " + other.get()
                        + "). Give the same entry for both, or leave the later one empty.");
            }
        }
        return first;
    }

    public List<FilesystemReserve> filesystems() {
        return filesystems;
    }

    public BallastSettings settings() {
        return settings;
    }

    /** One filesystem's reserve as read now, or why it could not be read. */
    public record Reading(FilesystemReserve filesystem, Optional<ReserveStatus> status, String error) {

        public Optional<ReserveView> view() {
            return status.map(s -> ReserveView.of(filesystem, s));
        }
    }

    /**
     * Every filesystem's reserve, each read on its own: an offline or vanished log dir gives a
     * reading with an error instead of failing the others. Takes no lock.
     */
    public List<Reading> readAll() {
        List<Reading> out = new ArrayList<>();
        for (FilesystemReserve fs : filesystems) {
            try {
                out.add(new Reading(fs, Optional.of(fs.reserve().status()), null));
            } catch (RuntimeException e) {
                out.add(new Reading(fs, Optional.empty(), String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    /**
     * Every filesystem's reserve and usable space, each read at one moment under its reserve's lock
     * ({@link io.archiveguardian.reserve.Reserve#readLocked}); a reserve that cannot be read gives a
     * reading with the error, for the caller to treat as unknown (never as no ballast).
     */
    public List<Reading> readAllLocked() {
        List<Reading> out = new ArrayList<>();
        for (FilesystemReserve fs : filesystems) {
            try {
                out.add(new Reading(fs, Optional.of(fs.reserve().readLocked()), null));
            } catch (RuntimeException e) {
                out.add(new Reading(fs, Optional.empty(), String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    /** The readable reserves as views. */
    public List<ReserveView> views() {
        return readAll().stream().flatMap(r -> r.view().stream()).toList();
    }

    /** The reserve of every filesystem. Takes no lock; safe while the sidecar or the CLI works. */
    public List<Outcome<ReserveStatus>> status() {
        return status(List.of());
    }

    /** The reserve of the filesystems holding {@code logDirs} (every one when empty). Takes no lock. */
    public List<Outcome<ReserveStatus>> status(List<Path> logDirs) {
        return each(logDirs, fs -> fs.reserve().status());
    }

    /** Arms (or resizes) every filesystem's reserve to the configured plan under the safety rule. */
    public List<Outcome<ArmResult>> arm(Optional<Path> logDir, BallastSettings plan, Trigger trigger, String reason) {
        return arm(asList(logDir), plan, trigger, reason);
    }

    /** Arms (or resizes) the reserves of the filesystems holding {@code logDirs} (every one when empty). */
    public List<Outcome<ArmResult>> arm(List<Path> logDirs, BallastSettings plan, Trigger trigger, String reason) {
        return arm(logDirs, plan, trigger, reason, GiveWay.NEVER);
    }

    /** As above; {@code giveWay} can stop the allocation in progress (besides a waiting release). */
    public List<Outcome<ArmResult>> arm(List<Path> logDirs, BallastSettings plan, Trigger trigger, String reason,
                                        GiveWay giveWay) {
        return each(logDirs, fs -> fs.reserve().arm(
                plan.plan(FilesystemSpace.of(fs.logDir()).totalBytes()), plan.policy(), trigger, reason, giveWay));
    }

    /** Releases tiers on every filesystem, or on the one holding {@code logDir}. */
    public List<Outcome<ReleaseResult>> release(Optional<Path> logDir, ReleaseRequest request, Trigger trigger,
                                                String reason) {
        return release(asList(logDir), request, trigger, reason);
    }

    /** Releases tiers on the filesystems holding {@code logDirs} (every one when empty). */
    public List<Outcome<ReleaseResult>> release(List<Path> logDirs, ReleaseRequest request, Trigger trigger,
                                                String reason) {
        return each(logDirs, fs -> fs.reserve().release(request, trigger, reason));
    }

    /** Re-arms at most one tier per filesystem, under the safety rule. */
    public List<Outcome<RearmResult>> rearm(Optional<Path> logDir, Trigger trigger, String reason) {
        return rearm(asList(logDir), trigger, reason);
    }

    /** Re-arms at most one tier on each filesystem holding {@code logDirs} (every one when empty). */
    public List<Outcome<RearmResult>> rearm(List<Path> logDirs, Trigger trigger, String reason) {
        return rearm(logDirs, trigger, reason, GiveWay.NEVER);
    }

    /** As above; {@code giveWay} can stop the allocation in progress (besides a waiting release). */
    public List<Outcome<RearmResult>> rearm(List<Path> logDirs, Trigger trigger, String reason, GiveWay giveWay) {
        return each(logDirs, fs -> fs.reserve().rearm(settings.policy(), trigger, reason, giveWay));
    }

    private static List<Path> asList(Optional<Path> logDir) {
        return logDir.map(List::of).orElse(List.of());
    }

    /** The filesystems holding the given log dirs, each once, in their order; every one when none is given. */
    private <T> List<Outcome<T>> each(List<Path> logDirs, Function<FilesystemReserve, T> action) {
        List<FilesystemReserve> selected = filesystems;
        if (!logDirs.isEmpty()) {
            Set<FilesystemReserve> picked = new LinkedHashSet<>();
            for (Path logDir : logDirs) {
                Path real = Files.exists(logDir) ? realPath(logDir) : logDir.toAbsolutePath().normalize();
                List<FilesystemReserve> holding = filesystems.stream().filter(fs -> fs.holds(real)).toList();
                if (holding.isEmpty()) {
                    throw new InvalidConfigException("--logdir " + logDir + " is not one of the log dirs "
                            + filesystems.stream().flatMap(fs -> fs.logDirs().stream()).toList() + ".");
                }
                picked.addAll(holding);
            }
            selected = filesystems.stream().filter(picked::contains).toList();
        }
        List<Outcome<T>> outcomes = new ArrayList<>();
        for (FilesystemReserve fs : selected) {
            outcomes.add(new Outcome<>(fs, guarded(fs, action)));
        }
        return outcomes;
    }

    private static <T> T guarded(FilesystemReserve fs, Function<FilesystemReserve, T> action) {
        try {
            return action.apply(fs);
        } catch (ReserveLockedException e) {
            throw new GuardianException(ExitCodes.FAILED, e.getMessage(), e);
        } catch (ForeignFileException e) {
            throw new GuardianException(ExitCodes.FAILED, e.getMessage(), e);
        } catch (ReserveException e) {
            throw new GuardianException(ExitCodes.FAILED, "reserve of " + fs.logDir() + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new GuardianException(ExitCodes.FAILED, "reserve of " + fs.logDir() + ": " + e.getMessage(), e);
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new InvalidConfigException("log dir " + p + " cannot be resolved: " + e.getMessage(), e);
        }
    }

    private static String filesystemName(Path dir) {
        try {
            return Files.getFileStore(dir).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
