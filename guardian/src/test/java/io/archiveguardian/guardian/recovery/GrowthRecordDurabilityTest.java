package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The growth record is written as Kafka writes its checkpoints: temp file, fsync, atomic rename,
 * and then an fsync of the directory, without which a power cut can lose the rename (and leave the
 * old record, or none). Proven on the real system calls of a real write, traced with strace.
 */
class GrowthRecordDurabilityTest {

    @TempDir
    Path tmp;

    @Test
    void theRenameIsFollowedByAnFsyncOfTheStateDirectory() throws Exception {
        TestEnvironment.requireProgram("strace");
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path trace = tmp.resolve("trace.txt");

        Commands.Result run = Commands.run(List.of("strace", "-f", "-qq", "-e", "trace=openat,rename,renameat,renameat2,fsync,fdatasync",
                "-o", trace.toString(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), GrowthRecordWriteMain.class.getName(), state.toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.exists(state.resolve("growth.json"))).isTrue();
        List<String> lines = joinUnfinished(Files.readAllLines(trace));
        int renamed = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(".*rename.*growth\\.json\\.tmp.*growth\\.json.*")) {
                renamed = i;
            }
        }
        assertThat(renamed).as("the rename is traced").isNotNegative();
        Pattern openDir = Pattern.compile(".*openat\\(AT_FDCWD, \"" + Pattern.quote(state.toString()) + "\", [^)]*\\) = (\\d+)$");
        boolean synced = false;
        for (int i = renamed + 1; i < lines.size() && !synced; i++) {
            Matcher m = openDir.matcher(lines.get(i));
            if (m.matches()) {
                String fd = m.group(1);
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).matches("\\d+\\s+fsync\\(" + fd + "\\)\\s*= 0$")) {
                        synced = true;
                        break;
                    }
                }
            }
        }
        assertThat(synced).as("an fsync of %s after the rename; traced:%n%s", state,
                String.join("\n", lines.subList(renamed, lines.size()))).isTrue();
    }

    @Test
    void aCallSplitByAnotherThreadIsJoinedBack() {
        // As CI traced it once: the fsync of the directory interrupted by another thread's openat.
        List<String> traced = List.of(
                "21300 openat(AT_FDCWD, \"/tmp/s/state\", O_RDONLY) = 65",
                "21300 fsync(65 <unfinished ...>",
                "21313 openat(AT_FDCWD, \"/sys/fs/cgroup/memory.stat\", O_RDONLY) = 65",
                "21300 <... fsync resumed>)              = 0");
        assertThat(joinUnfinished(traced)).containsExactly(
                "21300 openat(AT_FDCWD, \"/tmp/s/state\", O_RDONLY) = 65",
                "21313 openat(AT_FDCWD, \"/sys/fs/cgroup/memory.stat\", O_RDONLY) = 65",
                "21300 fsync(65)              = 0");
    }

    /**
     * The trace with each call on one line. With {@code strace -f} another thread's call can split
     * one call into "65 fsync(7 <unfinished ...>" and, later from the same PID,
     * "65 <... fsync resumed>) = 0"; this joins them back into "65 fsync(7) = 0".
     */
    static List<String> joinUnfinished(List<String> lines) {
        Pattern unfinished = Pattern.compile("^(\\d+)\\s+(.*) <unfinished \\.\\.\\.>$");
        Pattern resumed = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. \\w+ resumed>(.*)$");
        Map<String, String> pending = new HashMap<>();
        List<String> joined = new ArrayList<>();
        for (String line : lines) {
            Matcher u = unfinished.matcher(line);
            Matcher r = resumed.matcher(line);
            if (u.matches()) {
                pending.put(u.group(1), u.group(2));
            } else if (r.matches() && pending.containsKey(r.group(1))) {
                joined.add(r.group(1) + " " + pending.remove(r.group(1)) + r.group(2));
            } else {
                joined.add(line);
            }
        }
        return joined;
    }
}
