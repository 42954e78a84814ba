package io.archiveguardian.guardian.drop.exec;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.render.DropText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code prestart} checks first: a drop marker next to one of the broker's log dirs.
 * <ul>
 * <li>Its holder is alive: a drop is changing the log dir. Exit 3 ({@link ExitCodes#CHECK_FAILED},
 * "a check found an unsafe state"), not 10: 10 means "the disk is too full", which an operator or
 * an automation answers with a drop, the last thing to start while one runs.</li>
 * <li>Its holder is dead (kill -9, power): reported loudly with the command that finishes the drop
 * and the one that undoes it. It does not block the start: the guardian changes a log dir only by
 * whole-directory renames after the controller confirmed the reassignment, so whatever phase the
 * drop died in, the log dir is one Kafka can start on (a directory still there whose partition
 * the controller moved away is deleted by Kafka as a stray). Blocking would keep the broker down
 * for ever on a marker nobody will clear at 3 a.m.</li>
 * </ul>
 */
public final class DropInProgress {

    private DropInProgress() {
    }

    /** The markers next to these log dirs, one per drop. */
    public static List<DropMarker> markers(GuardianSettings settings) {
        return found(settings).stream().map(Found::marker).toList();
    }

    /**
     * A drop's marker with every log dir it concerns: those whose trash holds a copy of it and those
     * its batches moved directories from. One drop writes its marker into each trash in turn, so the
     * copies can differ in phase (a kill between two writes); they are one drop all the same.
     */
    private record Found(DropMarker marker, Set<Path> logDirs) {
    }

    private static List<Found> found(GuardianSettings settings) {
        String base = settings.config().getString(GuardianConfig.DROP_TRASH_DIR);
        Optional<Path> basePath = base.isBlank() ? Optional.empty() : Optional.of(Path.of(base));
        Map<String, Found> out = new LinkedHashMap<>();
        for (Path dir : settings.logDirs()) {
            DropMarker.read(DropTrash.rootOf(dir, basePath)).ifPresent(m -> {
                Found f = out.computeIfAbsent(m.pid() + " " + m.processStart() + " " + m.startedAt(),
                        k -> new Found(m, new LinkedHashSet<>()));
                f.logDirs().add(dir);
                m.batches().forEach(batch -> f.logDirs().add(Path.of(batch.logDir())));
            });
        }
        return List.copyOf(out.values());
    }

    /**
     * Prestart's check. Prints what it found; returns the exit code when the broker must not start
     * (a drop is running), empty when prestart goes on.
     *
     * @param options the options prestart was given, repeated in the commands it prints
     */
    public static Optional<Integer> beforeStart(GuardianSettings settings, String options, PrintWriter out) {
        String given = options.isBlank() ? "" : " " + options.trim();
        List<Found> found = found(settings);
        for (DropMarker m : found.stream().map(Found::marker).toList()) {
            if (m.holderAlive()) {
                out.println("DO NOT START THE BROKER: a drop is running (guardian drop --execute, pid " + m.pid() + ", since "
                        + m.startedAt() + ", phase " + m.phase() + ", partitions " + partitions(m) + "). It holds the broker's "
                        + ".lock; a start now would fail. Run prestart again when it has ended.");
                out.flush();
                return Optional.of(ExitCodes.CHECK_FAILED);
            }
        }
        for (Found f : found) {
            DropMarker m = f.marker();
            String opts = given + DropText.logDirArguments(given, f.logDirs());
            out.println("WARNING: a drop did not finish: pid " + m.pid() + " started " + m.startedAt() + " and died in phase "
                    + m.phase() + " (partitions " + partitions(m) + (m.purge() ? ", with --purge" : "") + ").");
            out.println("  The log dir is consistent (whole-directory renames only), so this does not block the start.");
            out.println("  Finish it (wait for the reassignments the controller accepted, then move" + (m.purge() ? " and delete" : "")
                    + " those directories): guardian drop" + opts + " --finish");
            out.println("  Or undo it: guardian drop" + opts + " --undo   (gives the partitions back to this broker through the "
                    + "cluster, then restores what it moved"
                    + (m.purge() && "moving".equals(m.phase()) ? "; directories already deleted are gone, their data is on the other replicas" : "")
                    + ")");
        }
        out.flush();
        return Optional.empty();
    }

    private static List<String> partitions(DropMarker m) {
        List<String> out = new ArrayList<>();
        m.batches().forEach(b -> b.entries().forEach(e -> out.add(e.directoryName())));
        return out;
    }
}
