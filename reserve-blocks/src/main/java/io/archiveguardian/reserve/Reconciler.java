package io.archiveguardian.reserve;

import io.archiveguardian.reserve.ManifestStore.CorruptManifestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a reserve's manifest with the tier files present and works out the manifest the files
 * say is true, plus the repairs to get there. Pure decision: it deletes and writes nothing
 * (the caller applies the repairs while holding the lock).
 */
final class Reconciler {

    private final ReserveLocation location;
    private final ManifestStore store;
    private final Pattern tierName;

    Reconciler(ReserveLocation location, ManifestStore store) {
        this.location = location;
        this.store = store;
        this.tierName = Pattern.compile(Pattern.quote(location.prefix()) + "tier-(\\d{2,})\\.ballast(\\.partial)?");
    }

    record Event(int tier, long bytes, String what) {
    }

    /** The manifest as the files on disk say it must be, and what to do to get there. */
    record Reconciled(Manifest manifest, boolean changed, boolean corrupt, List<Event> events,
                              List<Path> deletions, List<Path> foreign, List<String> notes) {
    }

    /**
     * Compares the manifest with the tier files present. {@code forWrite}: the caller holds the lock
     * (nobody else is arming), so an unfinished arm is an interrupted one.
     */
    Reconciled reconcile(boolean forWrite) {
        List<String> notes = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        Optional<Manifest> read;
        boolean corrupt = false;
        try {
            read = store.read();
        } catch (CorruptManifestException e) {
            read = Optional.empty();
            corrupt = true;
            notes.add("the manifest " + location.manifestFile() + " was corrupt (" + e.getMessage()
                    + "); rebuilt from the tier files present");
        }
        Map<Integer, Path> finals = new TreeMap<>();
        Map<Integer, Path> partials = new TreeMap<>();
        scan(finals, partials);
        Map<Path, Optional<TierHeader>> headers = new HashMap<>();
        finals.values().forEach(p -> headers.put(p, TierHeader.read(p)));
        partials.values().forEach(p -> headers.put(p, TierHeader.read(p)));

        boolean changed = false;
        Manifest manifest;
        if (read.isPresent()) {
            manifest = read.get();
        } else {
            String id = headers.values().stream().flatMap(Optional::stream).map(TierHeader::reserveId).findFirst()
                    .orElse(UUID.randomUUID().toString());
            manifest = new Manifest(Manifest.VERSION, id, location.logDir().toString(), List.of(), null);
            changed = true;
            if (!corrupt && !(finals.isEmpty() && partials.isEmpty())) {
                notes.add("the manifest was missing; rebuilt from the tier files present");
            }
        }
        String id = manifest.reserveId();
        List<Path> deletions = new ArrayList<>();
        List<Path> foreign = new ArrayList<>();
        TreeSet<Integer> indices = new TreeSet<>(finals.keySet());
        indices.addAll(partials.keySet());
        manifest.tiers().forEach(t -> indices.add(t.index()));
        for (int index : indices) {
            Tier record = manifest.tier(index).orElse(null);
            Path file = finals.get(index);
            Optional<TierHeader> fileHeader = file == null ? Optional.empty() : headers.get(file);
            boolean fileOurs = fileHeader.map(h -> h.reserveId().equals(id)).orElse(false);
            boolean damaged = file != null && fileHeader.isEmpty() && TierHeader.damaged(file);
            if (damaged) {
                // A power cut after the tier's size or blocks reached the disk but before its header
                // did: ours by its name, not trustworthy. Removed (freeing what it holds) and
                // recorded as released, so that re-arm or arm allocates it again.
                deletions.add(file);
                events.add(new Event(index, 0, "removed " + file.getFileName() + " (" + size(file)
                        + " bytes): its header never reached the disk (a crash or power cut during its arm)"));
            } else if (file != null && !fileOurs) {
                foreign.add(file);
            }
            if (fileOurs && size(file) != fileHeader.get().sizeBytes()) {
                // a crash lost part of a tier's allocation: ours, but not the space it claims
                fileOurs = false;
                deletions.add(file);
                events.add(new Event(index, 0, "removed " + file.getFileName() + ": shorter than its header says"));
            }
            Path partial = partials.get(index);
            Optional<TierHeader> arming = Optional.empty();
            if (partial != null) {
                // ours: our header, or empty (created, killed before the header was written)
                boolean partialOurs = headers.get(partial).map(h -> h.reserveId().equals(id)).orElse(false)
                        || size(partial) == 0 || (headers.get(partial).isEmpty() && TierHeader.damaged(partial));
                if (!partialOurs) {
                    foreign.add(partial);
                } else {
                    deletions.add(partial);
                    events.add(new Event(index, 0, "removed " + partial.getFileName() + ", left by an interrupted arm of tier " + index));
                    if (!forWrite) {
                        arming = headers.get(partial);
                    }
                }
            }
            Tier next = record;
            if (!fileOurs && arming.isPresent()) {
                // status only: an arm in progress in another process, or interrupted
                long size = arming.get().sizeBytes();
                next = record == null
                        ? new Tier(index, size, TierState.ARMING, null, false, null, null, null,
                        "an arm is in progress or was interrupted")
                        : record.arming(size, record.lastTrigger());
            } else if (fileOurs) {
                long size = fileHeader.get().sizeBytes();
                if (record == null) {
                    next = new Tier(index, size, TierState.ARMED, null, false, fileHeader.get().createdAt(), null,
                            Trigger.RECOVERY, "adopted from its file: the manifest had no record of it");
                } else if (record.state() != TierState.ARMED) {
                    next = new Tier(index, size, TierState.ARMED, record.method(), false, fileHeader.get().createdAt(),
                            record.releasedAt(), Trigger.RECOVERY, "its complete file was found: the manifest had "
                            + record.state().name().toLowerCase(Locale.ROOT));
                }
            } else if (damaged && record != null && record.state() != TierState.RELEASED) {
                next = record.released(now(), Trigger.RECOVERY, "its file was damaged by a crash (the header "
                        + "never reached the disk): removed, to be armed again");
            } else if (record != null && record.state() == TierState.ARMED) {
                next = record.released(now(), Trigger.RECOVERY, "its file was gone: released by an interrupted "
                        + "release or outside the guardian");
            } else if (record != null && record.state() == TierState.ARMING && forWrite) {
                next = record.released(record.releasedAt(), Trigger.RECOVERY, "an arm was interrupted; its partial "
                        + "file was removed");
            }
            if (next != record) {
                manifest = manifest.with(next);
                changed = true;
                events.add(new Event(index, next.sizeBytes(), "tier " + index + ": " + next.note()));
            }
        }
        if (corrupt || (read.isEmpty() && !finals.isEmpty())) {
            changed = true;
        }
        if (read.isEmpty() && finals.isEmpty() && partials.isEmpty() && !corrupt) {
            changed = false; // a fresh reserve: the first operation writes the manifest when it changes something
        }
        return new Reconciled(manifest, changed, corrupt, events, deletions, foreign, notes);
    }

    private void scan(Map<Integer, Path> finals, Map<Integer, Path> partials) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(location.directory())) {
            for (Path p : dir) {
                Matcher m = tierName.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    (m.group(2) == null ? finals : partials).put(Integer.parseInt(m.group(1)), p);
                }
            }
        } catch (NoSuchFileException e) {
            // no reserve yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the reserve directory " + location.directory() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String now() {
        return Instant.now().toString();
    }
}
