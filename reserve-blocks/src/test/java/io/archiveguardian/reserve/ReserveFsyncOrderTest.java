package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Power-cut safety by the system calls a real arm makes on ext4, traced with strace: every tier
 * file is fsynced (data and size: {@code fsync}, not {@code fdatasync}) under its partial name
 * before it is renamed to its final name, on the fallocate path and on the write path.
 */
class ReserveFsyncOrderTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @ParameterizedTest
    @EnumSource(value = AllocationMode.class, names = {"AUTO", "WRITE"})
    void everyTierIsFsyncedUnderItsPartialNameBeforeItsRename(AllocationMode mode) throws Exception {
        TestEnvironment.requireProgram("strace");
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        Path trace = disk.root().resolve("strace.txt");
        List<String> command = new ArrayList<>(List.of("strace", "-f", "-y", "-e",
                "trace=fsync,fdatasync,rename,renameat,renameat2", "-o", trace.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx128m", ReserveChildMain.class.getName(),
                "arm", logDir.toString(), Long.toString(16 * MIB), "2", mode.name(), "0"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(disk.root().resolve("child.txt").toFile()).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(disk.root().resolve("child.txt"))).isZero();
        assertThat(Files.readString(disk.root().resolve("child.txt"))).contains("DONE armed=[1, 2]");

        List<String> calls = Files.readAllLines(trace);
        for (int tier = 1; tier <= 2; tier++) {
            String partial = String.format("tier-%02d.ballast.partial", tier);
            int rename = indexOf(calls, l -> l.contains("rename") && l.contains(partial + "\""));
            int fsync = indexOf(calls, l -> l.matches("^\\d+\\s+fsync\\(\\d+<[^>]*" + java.util.regex.Pattern.quote(partial) + ">\\).*"));
            assertThat(rename).as("the rename of %s in%n%s", partial, String.join("\n", calls)).isNotNegative();
            assertThat(fsync).as("an fsync of %s before its rename in%n%s", partial, String.join("\n", calls))
                    .isNotNegative().isLessThan(rename);
        }
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
