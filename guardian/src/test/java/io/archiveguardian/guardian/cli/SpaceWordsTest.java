package io.archiveguardian.guardian.cli;

import static io.archiveguardian.testsupport.SmallFilesystemExtension.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.text.SpaceText;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One set of numbers for one disk: {@code guardian status} and {@code guardian ballast status}
 * print the same used, usable and free figures with the same words next to them, the JSON of both
 * carries the same bytes, and {@code ballast release} shows the change it made with the precision to
 * see it. On a real small ext4 (nothing else writes to it, so the figures hold still between runs).
 */
class SpaceWordsTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(256 * MIB);

    private static final Pattern STATUS_SPACE = Pattern.compile("(?m)^    space: (.*)$");
    private static final Pattern BALLAST_SPACE = Pattern.compile("(?m)^  space       (.*)$");

    @Test
    void statusAndBallastStatusPrintTheSameFiguresAndReleaseShowsItsChange() throws Exception {
        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Path config = Files.write(disk.root().resolve("guardian.properties"),
                List.of("state.dir=" + disk.root().resolve("state"), "node.id=1"));
        String[] common = {"--logdir", logDir.toString(), "--config", config.toString()};
        CliRun arm = CliRun.of(concat(new String[] {"ballast", "arm", "--size", "32M", "--tiers", "2"}, common));
        assertThat(arm.exitCode()).as(arm.err()).isZero();

        CliRun status = CliRun.of(concat(new String[] {"status"}, common));
        CliRun ballast = CliRun.of(concat(new String[] {"ballast", "status"}, common));
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(ballast.exitCode()).as(ballast.err()).isZero();
        String statusLine = only(STATUS_SPACE, status.out());
        assertThat(only(BALLAST_SPACE, ballast.out())).isEqualTo(statusLine);
        assertThat(statusLine).contains("(" + SpaceText.USED_WORDS + ")").contains("(" + SpaceText.USABLE_WORDS + ")")
                .contains("(" + SpaceText.FREE_WORDS + ")");

        var statusJson = Json.MAPPER.readTree(CliRun.of(concat(new String[] {"status", "--output", "json"}, common)).out());
        var ballastJson = Json.MAPPER.readTree(CliRun.of(concat(new String[] {"ballast", "status", "--output", "json"}, common))
                .out()).get(0);
        var usage = statusJson.at("/observation/filesystems/0/usage");
        assertThat(ballastJson.get("filesystem_usable_bytes").asLong()).isEqualTo(usage.get("usable_bytes").asLong());
        assertThat(ballastJson.get("filesystem_free_bytes").asLong()).isEqualTo(usage.get("free_bytes").asLong());
        assertThat(ballastJson.get("filesystem_total_bytes").asLong()).isEqualTo(usage.get("total_bytes").asLong());

        CliRun release = CliRun.of(concat(new String[] {"ballast", "release", "--tiers", "1", "--reason", "test"}, common));
        assertThat(release.exitCode()).as(release.err()).isZero();
        Matcher m = Pattern.compile("usable (\\S+ \\S+) → (\\S+ \\S+) \\(\\+16 MiB; " + Pattern.quote(SpaceText.USABLE_WORDS) + "\\)")
                .matcher(release.out());
        assertThat(m.find()).as(release.out()).isTrue();
        assertThat(m.group(1)).as("the figures differ where the release shows").isNotEqualTo(m.group(2));
    }

    @Test
    void aChangeIsPrintedWithThePrecisionToSeeIt() {
        long gib = 1L << 30;
        long before = 77 * gib + gib / 2;
        assertThat(SpaceText.change("usable", before, before + 16 * MIB, ""))
                .isEqualTo("usable 77.50 GiB → 77.52 GiB (+16 MiB)");
        assertThat(SpaceText.change("usable", before, before + 1024 * 1024 / 4, "w"))
                .isEqualTo("usable 77.5000 GiB → 77.5002 GiB (+256 KiB; w)");
        assertThat(SpaceText.change("usable", 500, 500, "")).isEqualTo("usable 500 B → 500 B (+0 B)");
        assertThat(SpaceText.usedRatio(100, 40, 30)).isEqualTo(60.0 / 90);
    }

    private static String only(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        String found = m.group(1);
        assertThat(m.find()).as("one filesystem: " + text).isFalse();
        return found;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
