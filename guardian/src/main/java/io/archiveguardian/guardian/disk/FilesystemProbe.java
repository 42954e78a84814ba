package io.archiveguardian.guardian.disk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import oshi.SystemInfo;
import oshi.software.os.OSFileStore;

/**
 * Reads the filesystem under a directory. Sizes come from {@link FileStore} (statvfs, exactly
 * what df shows); mount point, device, type and inodes from OSHI's mount table. OSHI leaves out
 * some filesystems it calls pseudo (overlay, for one): for those the mount and device come from
 * the FileStore and the inode counts are unknown (−1).
 */
public final class FilesystemProbe {

    private final Map<String, OSFileStore> byMount = new ConcurrentHashMap<>();
    private volatile List<OSFileStore> mounts;

    /** The filesystem under {@code dir}; throws when the directory cannot be reached. */
    public FilesystemUsage probe(Path dir) throws IOException {
        Path real = dir.toRealPath();
        FileStore store = Files.getFileStore(real);
        long total = store.getTotalSpace();
        long free = store.getUnallocatedSpace();
        long usable = store.getUsableSpace();
        String storeMount = mountFromStore(store, real);
        Optional<OSFileStore> os = mountOf(real).filter(fs -> fs.getMount().equals(storeMount));
        if (os.isEmpty()) {
            refreshMounts(); // mounted since we last read the table
            os = mountOf(real).filter(fs -> fs.getMount().equals(storeMount));
        }
        if (os.isPresent()) {
            OSFileStore fs = os.get();
            fs.updateAttributes();
            return new FilesystemUsage(fs.getMount(), fs.getVolume(), fs.getType(), total, free, usable,
                    fs.getTotalInodes(), fs.getFreeInodes());
        }
        return new FilesystemUsage(storeMount, store.name(), store.type(), total, free, usable, -1, -1);
    }

    private Optional<OSFileStore> mountOf(Path real) {
        Optional<OSFileStore> found = longestMountPrefix(real, mounts());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        // One OSFileStore per mount, so updateAttributes() refreshes the object we keep.
        return Optional.of(byMount.computeIfAbsent(found.get().getMount(), m -> found.get()));
    }

    private List<OSFileStore> mounts() {
        List<OSFileStore> current = mounts;
        if (current == null) {
            current = new SystemInfo().getOperatingSystem().getFileSystem().getFileStores(false);
            mounts = current;
        }
        return current;
    }

    /** Forgets the mount table, so the next probe sees mounts made since. */
    public void refreshMounts() {
        mounts = null;
        byMount.clear();
    }

    static Optional<OSFileStore> longestMountPrefix(Path real, List<OSFileStore> stores) {
        return stores.stream()
                .filter(s -> real.startsWith(Path.of(s.getMount())))
                .max(Comparator.comparingInt(s -> Path.of(s.getMount()).getNameCount()));
    }

    /** The Linux FileStore prints itself as "mount (device)". */
    private static String mountFromStore(FileStore store, Path real) {
        String text = store.toString();
        int paren = text.lastIndexOf(" (");
        return paren > 0 ? text.substring(0, paren) : real.getRoot().toString();
    }
}
