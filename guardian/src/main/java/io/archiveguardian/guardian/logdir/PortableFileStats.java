package io.archiveguardian.guardian.logdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/** {@code java.nio} fallback: exact apparent sizes, allocated size taken as the apparent size. */
final class PortableFileStats implements FileStats {

    @Override
    public FileStat stat(String path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(Path.of(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new FileStat(attrs.isDirectory(), attrs.size(), attrs.size(),
                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean allocatedKnown() {
        return false;
    }
}
