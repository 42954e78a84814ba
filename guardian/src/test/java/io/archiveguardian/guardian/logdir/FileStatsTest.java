package io.archiveguardian.guardian.logdir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatsTest {

    @TempDir
    Path tmp;

    @Test
    void onLinuxTheNativeStatsAreUsedAndAgreeWithJavaNioOnSizeTypeAndMtime() throws Exception {
        FileStats stats = FileStats.open();
        assertThat(stats).isInstanceOf(StatxFileStats.class);
        Path file = Files.write(tmp.resolve("00000000000000000000.log"), new byte[12_345]);

        FileStat stat = stats.stat(file.toString());

        assertThat(stat.directory()).isFalse();
        assertThat(stat.apparentBytes()).isEqualTo(Files.size(file));
        assertThat(stat.modifiedNanos()).isEqualTo(Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
        assertThat(stat.allocatedBytes()).isEqualTo(SyntheticLogDir.du(false, file)).isGreaterThanOrEqualTo(12_345);
        assertThat(stats.stat(tmp.toString()).directory()).isTrue();
    }

    @Test
    void aMissingPathIsNullNotAnException() throws Exception {
        assertThat(FileStats.open().stat(tmp.resolve("gone").toString())).isNull();
        assertThat(new PortableFileStats().stat(tmp.resolve("gone").toString())).isNull();
        assertThat(FileStats.open().list(tmp.resolve("gone").toString(), new ScanCounters(), (b, o, l, d, a, al, m) -> { })).isFalse();
    }

    @Test
    void nativeAndPortableListingsSeeTheSameEntriesAndApparentSizes() throws Exception {
        for (int i = 0; i < 3000; i++) { // more than one 64 KiB getdents64 batch
            Files.write(tmp.resolve(String.format("%020d.index", i)), new byte[i % 100]);
        }
        Files.createDirectory(tmp.resolve("sub"));

        assertThat(listing(FileStats.open(), tmp)).hasSize(3001).isEqualTo(listing(new PortableFileStats(), tmp));
    }

    @Test
    void theNativeListingCanListASubdirectoryFromInsideItsParentsListing() throws Exception {
        for (String dir : List.of("a-0", "b-1")) {
            Files.createDirectory(tmp.resolve(dir));
            for (int i = 0; i < 5; i++) {
                Files.write(tmp.resolve(dir).resolve("f" + i), new byte[i]);
            }
        }
        FileStats stats = FileStats.open();
        List<String> seen = new ArrayList<>();

        stats.list(tmp.toString(), new ScanCounters(), (b, o, l, d, a, al, m) -> {
            String name = new String(b, o, l, StandardCharsets.UTF_8);
            seen.add(name);
            try {
                stats.list(tmp.resolve(name).toString(), new ScanCounters(),
                        (b2, o2, l2, d2, a2, al2, m2) -> seen.add(name + "/" + new String(b2, o2, l2, StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(seen).hasSize(12).contains("a-0", "b-1", "a-0/f4", "b-1/f0");
    }

    private static List<String> listing(FileStats stats, Path dir) throws Exception {
        List<String> entries = new ArrayList<>();
        stats.list(dir.toString(), new ScanCounters(), (b, o, l, directory, apparent, allocated, mtime) -> entries.add(
                new String(b, o, l, StandardCharsets.UTF_8) + " " + directory + " " + (directory ? 0 : apparent)));
        entries.sort(null);
        return entries;
    }
}
