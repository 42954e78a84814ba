package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code guardian ballast status|arm|release|rearm} against real small filesystems. */
class BallastCommandTest {

    static final long MIB = 1024L * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk1 = SmallFilesystemExtension.ext4(128 * MIB);

    @RegisterExtension
    final SmallFilesystemExtension disk2 = SmallFilesystemExtension.tmpfs(64 * MIB);

    @TempDir
    Path temp;

    private Path logDir1;
    private Path logDir2;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void createLogDirs() throws Exception {
        logDir1 = Files.createDirectory(disk1.root().resolve("kafka"));
        logDir2 = Files.createDirectory(disk2.root().resolve("kafka"));
    }

    static Run guardian(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private String logDirs() {
        return logDir1 + "," + logDir2;
    }

    /** A guardian config naming both log dirs in log.dirs, so that --logdir picks among them. */
    private String bothDirs() {
        try {
            return config("log.dirs=" + logDirs()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path config(String... lines) throws Exception {
        return Files.write(temp.resolve("guardian.properties"), List.of(lines));
    }

    static long df(Path p) {
        String[] lines = Commands.check("df", "-B1", "--output=avail", p.toString()).trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim());
    }

    @Test
    void armArmsTheGivenSizeOnEveryFilesystemWithRealBlocks() {
        long before1 = df(disk1.root());
        long before2 = df(disk2.root());

        Run run = guardian("ballast", "arm", "--config", bothDirs(), "--size", "16M", "--tiers", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(
                logDir1 + ": armed tiers 1,2 (16 MiB); reserve 16 MiB of 16 MiB armed at "
                        + disk1.root().resolve(".guardian-reserve-kafka") + "\n"
                        + logDir2 + ": armed tiers 1,2 (16 MiB); reserve 16 MiB of 16 MiB armed at "
                        + disk2.root().resolve(".guardian-reserve-kafka") + "\n");
        assertThat(before1 - df(disk1.root())).isGreaterThanOrEqualTo(16 * MIB);
        assertThat(before2 - df(disk2.root())).isGreaterThanOrEqualTo(16 * MIB);
    }

    @Test
    void statusShowsEachFilesystemWithTiersBytesLocationAndLastAction() {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "24M", "--tiers", "3");
        guardian("ballast", "release", "--config", bothDirs(), "--logdir", logDir1.toString(), "--reason", "test nudge");

        Run run = guardian("ballast", "status", "--config", bothDirs());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] blocks = run.out().split("(?=Log dir )");
        assertThat(blocks).hasSize(2);
        assertThat(blocks[0]).startsWith("Log dir " + logDir1 + "\n")
                .contains("  reserve     " + disk1.root().resolve(".guardian-reserve-kafka") + " (sibling-directory)\n")
                .contains("  state       partial: 2 of 3 tiers armed, 16 MiB armed, 8 MiB released, verified\n")
                .contains("  tiers       #1 released 8 MiB | #2 armed 8 MiB | #3 armed 8 MiB\n")
                .containsPattern("  last        release of tier 1 \\(8 MiB\\), trigger manual, by root pid \\d+ at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+: test nudge\n");
        assertThat(blocks[1]).contains("  state       armed: 3 of 3 tiers armed, 24 MiB armed, 0 B released, verified\n");
    }

    @Test
    void statusAsJsonHasTheFieldsTheSidecarAndScriptsRead() throws Exception {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "8M", "--tiers", "2");

        Run run = guardian("ballast", "status", "--config", bothDirs(), "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json).hasSize(2);
        JsonNode first = json.get(0);
        assertThat(first.get("log_dir").asText()).isEqualTo(logDir1.toString());
        assertThat(first.get("state").asText()).isEqualTo("armed");
        assertThat(first.get("armed_bytes").asLong()).isEqualTo(8 * MIB);
        assertThat(first.get("released_bytes").asLong()).isZero();
        assertThat(first.get("verified").asBoolean()).isTrue();
        assertThat(first.get("layout").asText()).isEqualTo("sibling-directory");
        assertThat(first.get("tiers").get(1).get("state").asText()).isEqualTo("armed");
        assertThat(first.get("tiers").get(1).get("method").asText()).isEqualTo("fallocate");
        assertThat(first.get("last_action").get("action").asText()).isEqualTo("arm");
    }

    @Test
    void releaseWorksWithOnlyTheLogDirWhenTheBrokerConfigCannotBeRead() throws Exception {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "32M", "--tiers", "2");
        long armed = df(disk1.root());

        Run run = guardian("ballast", "release", "--broker-config", temp.resolve("missing.properties").toString(),
                "--logdir", logDir1.toString(), "--reason", "disk full, broker down");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("guardian: note: the log dirs cannot be read (--broker-config "
                + temp.resolve("missing.properties") + ": no such file.");
        assertThat(run.out()).startsWith(logDir1 + ": released tier 1 (16 MiB); usable ")
                .endsWith("; 1 of 2 tiers still armed\n");
        assertThat((double) df(disk1.root()) - armed).isCloseTo(16.0 * MIB, within(0.5 * MIB));
        List<String> audit = Files.readAllLines(disk1.root().resolve(".guardian-reserve-kafka/audit.jsonl"));
        assertThat(audit.get(audit.size() - 1)).contains("\"action\":\"release\"", "\"trigger\":\"MANUAL\"",
                "\"reason\":\"disk full, broker down\"", "\"program\":\"guardian ballast release\"");
    }

    @Test
    void releaseWithoutALogDirOnSeveralFilesystemsAsksWhichOne() {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "8M", "--tiers", "2");

        Run run = guardian("ballast", "release", "--config", bothDirs(), "--reason", "test");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: there are 2 data filesystems (" + logDir1 + ", " + logDir2
                + "); name one with --logdir DIR, or release on every one with --all-disks.\n");
    }

    @Test
    void releaseAllDisksAllTiersFreesEverything() {
        long before1 = df(disk1.root());
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "16M", "--tiers", "4");

        Run run = guardian("ballast", "release", "--config", bothDirs(), "--all-disks", "--all", "--reason", "drill");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(logDir1 + ": released tiers 1,2,3,4 (16 MiB)", logDir2 + ": released tiers 1,2,3,4 (16 MiB)");
        assertThat((double) df(disk1.root())).isCloseTo(before1, within(0.1 * MIB));
        Run again = guardian("ballast", "release", "--config", bothDirs(), "--all-disks", "--all", "--reason", "drill");
        assertThat(again.out()).contains(logDir1 + ": nothing to release");
    }

    @Test
    void logdirPicksSeveralFilesystemsAndAllDisksExcludesIt() throws Exception {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "8M", "--tiers", "2");

        Run both = guardian("ballast", "release", "--config", bothDirs(), "--logdir", logDir1.toString(),
                "--logdir", logDir2.toString(), "--reason", "two disks");
        assertThat(both.exitCode()).as(both.err()).isZero();
        assertThat(both.out()).contains(logDir1 + ": released tier 1 (4 MiB)", logDir2 + ": released tier 1 (4 MiB)");

        Run status = guardian("ballast", "status", "--config", bothDirs(), "--logdir", logDir2.toString());
        assertThat(status.out()).contains("Log dir " + logDir2).doesNotContain("Log dir " + logDir1);

        Run clash = guardian("ballast", "release", "--config", bothDirs(), "--all-disks", "--logdir", logDir1.toString(),
                "--reason", "both ways");
        assertThat(clash.exitCode()).isEqualTo(2);
        assertThat(clash.err()).isEqualTo("guardian: --all-disks and --logdir exclude each other: --all-disks releases on "
                + "every data filesystem, --logdir on those of the log dirs it picks. Give one of them.\n");

        Path elsewhere = temp.resolve("not-a-log-dir");
        Run foreign = guardian("ballast", "rearm", "--config", bothDirs(), "--logdir", elsewhere.toString());
        assertThat(foreign.exitCode()).isEqualTo(2);
        assertThat(foreign.err()).contains("--logdir " + elsewhere + " is not one of the log dirs");
        Run after = guardian("ballast", "status", "--config", bothDirs(), "--output", "json");
        JsonNode json = new ObjectMapper().readTree(after.out());
        assertThat(json).hasSize(2);
        json.forEach(fs -> assertThat(fs.get("released_bytes").asLong()).as("the refused rearm changed nothing")
                .isEqualTo(4 * MIB));
    }

    @Test
    void theOldLogDirsOptionStillNamesTheLogDirsAndLogdirStillPicksOne() {
        guardian("ballast", "arm", "--config", bothDirs(), "--size", "8M", "--tiers", "2");

        Run run = guardian("ballast", "release", "--log-dirs", logDirs(), "--logdir", logDir1.toString(), "--reason", "old script");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("guardian: warning: --log-dirs is deprecated");
        assertThat(run.out()).contains(logDir1 + ": released tier 1").doesNotContain(logDir2.toString());
        Run all = guardian("ballast", "release", "--log-dirs", logDirs(), "--all-disks", "--reason", "old script");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains(logDir1 + ": released tier 2", logDir2 + ": released tier 1");
    }

    @Test
    void releaseNeedsAReason() {
        Run run = guardian("ballast", "release", "--config", bothDirs(), "--all-disks");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: Missing required option: '--reason=TEXT'.\n"
                + "Run 'guardian ballast release --help' for its options; nothing was changed.\n");
    }

    @Test
    void rearmRestoresOneTierPerRunUnderTheSafetyRule() throws Exception {
        Path config = config("log.dirs=" + logDir1, "reserve.size=24M", "reserve.tiers=3");
        guardian("ballast", "arm", "--config", config.toString());
        guardian("ballast", "release", "--config", config.toString(), "--logdir", logDir1.toString(), "--all",
                "--reason", "test");

        Run first = guardian("ballast", "rearm", "--config", config.toString());
        Run second = guardian("ballast", "rearm", "--config", config.toString());

        assertThat(first.out()).isEqualTo(logDir1 + ": re-armed tier 1 (8 MiB)\n");
        assertThat(second.out()).isEqualTo(logDir1 + ": re-armed tier 2 (8 MiB)\n");
        Run strict = guardian("ballast", "rearm", "--config",
                config("log.dirs=" + logDir1, "reserve.arm.max.used.percent=1").toString());
        assertThat(strict.exitCode()).isZero();
        assertThat(strict.out()).startsWith(logDir1 + ": nothing re-armed: tier 3 (8 MiB) was not re-armed: used would be ")
                .endsWith("(limit 1.0%)\n");
    }

    @Test
    void armStopsAtTheHighWatermarkAndExitsWithThree() throws Exception {
        Path config = config("log.dirs=" + logDir2, "reserve.arm.max.used.percent=60");

        Run run = guardian("ballast", "arm", "--config", config.toString(), "--size", "48M", "--tiers", "3");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).startsWith(logDir2 + ": armed tiers 1,2 (32 MiB); reserve 32 MiB of 48 MiB armed at ")
                .contains("  not complete: tier 3 (16 MiB) was not armed: used would be 75.0% after arming 16 MiB (limit 60.0%)");
        assertThat(run.err()).isEqualTo("guardian: the reserve is not fully armed on every filesystem (see above).\n");
    }

    @Test
    void theWritePathShowsAProgressBar() throws Exception {
        Path config = config("log.dirs=" + logDir2, "reserve.allocation.mode=write",
                "reserve.write.rate.bytes.per.second=" + 16 * MIB);

        Run run = guardian("ballast", "arm", "--config", config.toString(), "--size", "16M", "--tiers", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("arming tier 1").contains("MiB");
        Run status = guardian("ballast", "status", "--config", config.toString(), "--output", "json");
        assertThat(status.out()).contains("\"method\" : \"write\"");
    }

    @Test
    void aConfiguredReserveDirInsideALogDirIsRefusedWithExitCodeTwo() throws Exception {
        Path config = config("log.dirs=" + logDir1 + "," + logDir2, "reserve.dirs=" + logDir1.resolve("ballast") + ",");

        Run run = guardian("ballast", "arm", "--config", config.toString(), "--size", "8M");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("guardian: reserve.dirs: reserve dir " + logDir1.resolve("ballast")
                + " is inside log dir " + logDir1 + ". Kafka parses every subdirectory of a log dir as a partition");
        assertThat(logDir1.resolve("ballast")).doesNotExist();
    }

    @Test
    void aConfiguredReserveDirOnAnotherFilesystemIsRefusedWithExitCodeTwo() throws Exception {
        Path config = config("log.dirs=" + logDir1, "reserve.dirs=" + disk2.root().resolve("elsewhere"));

        Run run = guardian("ballast", "status", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("guardian: reserve.dirs: reserve dir " + disk2.root().resolve("elsewhere")
                + " is on another filesystem than log dir " + logDir1);
    }

    @Test
    void reserveDirsMustHaveOneEntryPerLogDir() throws Exception {
        Path config = config("log.dirs=" + logDirs(), "reserve.dirs=" + disk1.root().resolve("r1"));

        Run run = guardian("ballast", "status", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: reserve.dirs has 1 entries but there are 2 log dirs [" + logDir1
                + ", " + logDir2 + "]. Give one entry per log dir, in the order of log.dirs (an empty entry keeps the "
                + "default), or leave reserve.dirs empty.\n");
    }

    @Test
    void aBadSizeIsAConfigurationError() {
        Run run = guardian("ballast", "arm", "--config", bothDirs(), "--size", "lots");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: --size: 'lots' is not a reserve size. Give bytes (20000000000 or "
                + "20000000000B) or a number with a binary unit K, M, G, T or P, decimals allowed (512M, 1.5G, 20GiB), "
                + "or a percentage of the filesystem (5%, 0.5%).\n");
    }

    @Test
    void releaseFindsAConfiguredReserveDirWhenAnotherLogDirIsGone() throws Exception {
        Path reserveDir = disk1.root().resolve("ops/ballast");
        Path config = config("log.dirs=" + logDir1 + "," + logDir2, "reserve.dirs=" + reserveDir + ",");
        guardian("ballast", "arm", "--config", config.toString(), "--size", "16M", "--tiers", "2");
        Files.walk(logDir2).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // a failed disk

        Run run = guardian("ballast", "release", "--config", config.toString(), "--logdir", logDir1.toString(),
                "--reason", "other disk failed");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("guardian: note: the log dirs cannot be read (log dir " + logDir2
                + " does not exist or is not a directory.");
        assertThat(run.out()).startsWith(logDir1 + ": released tier 1 (8 MiB)");
        assertThat(reserveDir.resolve("tier-01.ballast")).doesNotExist();
        assertThat(reserveDir.resolve("tier-02.ballast")).exists();
    }
}
