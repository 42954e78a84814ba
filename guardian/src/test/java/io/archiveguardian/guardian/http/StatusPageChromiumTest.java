package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import io.archiveguardian.testsupport.TestEnvironment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a phone shows it: a real sidecar on a real ext4 log dir with armed ballast,
 * rendered by headless Chromium (Debian's package) into a DOM dump and screenshots at a phone's
 * (390 px) and a desktop's (1280 px) width, kept as docs/images/status-page-{phone,desktop}.png for
 * the README.
 */
class StatusPageChromiumTest {

    static final long MIB = SmallFilesystemExtension.MIB;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void chromiumRendersAVerdictTheDisksLogDirsBallastAndEventsOnAPhoneAndADesktop() throws Exception {
        TestEnvironment.requireProgram("chromium");
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        CliRun arm = CliRun.of("ballast", "arm", "--logdir", logDir.toString(), "--size", "16M", "--tiers", "4");
        assertThat(arm.exitCode()).as(arm.err()).isZero();
        var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "http.listen", "127.0.0.1:0", "scan.interval.ms", "600000",
                // a one-minute window keeps every pass of this quick test in the history and the chart
                "forecast.window.ms", "60000", "forecast.min.span.ms", "1000",
                // floors scale with the disk's free share of each level (a fresh 128 MiB disk is ok at
                // the default ratios); at 20% the 1 GiB critical floor is capped at the whole disk
                "pressure.warn.ratio", "0.2", "pressure.high.ratio", "0.2", "pressure.critical.ratio", "0.2")));
        try (SidecarServer server = SidecarServer.start(settings)) {
            for (int pass = 0; pass < 4; pass++) {
                segment(logDir.resolve("archive-" + pass % 2), pass * 1000L, 4 * MIB);
                server.sidecar().runPass();
                // The history keeps samples at least window/4096 (15 ms here) apart; fast passes thin out.
                Thread.sleep(40);
            }
            String url = server.baseUrl() + "/";

            String dom = chromium("--dump-dom", url);
            assertThat(dom).contains("<section class=\"disk\" data-mount=\"" + disk.root() + "\">")
                    .contains("<span class=\"level critical\">critical</span>")
                    .contains("usable ").contains(" &lt; critical floor ")
                    .contains("Ballast 16 MiB reclaimable")
                    .contains("<svg class=\"chart\" id=\"chart-0\"").contains("<polyline class=\"used\"")
                    .contains("<td colspan=\"6\" class=\"path\"><b>" + logDir + "</b>")
                    .contains("<tr class=\"logdir\"><td class=\"n\">2</td><td class=\"n\">8</td><td class=\"n\">16 MiB</td>")
                    // 4 x (8 + 12 KiB) of dense indexes; 8 sparse 10 MiB ones of active segments plus the dense ones
                    .contains("<td class=\"n wide\">80 KiB / 80.1 MiB</td>")
                    .contains("<td>armed (4/4 tiers)</td><td class=\"n\">16 MiB</td>")
                    .contains("<td class=\"path\">disk:" + disk.root() + "</td><td>(new) → CRITICAL</td>")
                    .contains("<h2>Next broker start</h2>").contains("<table id=\"recovery\">");
            assertThat(dom.split("<polyline class=\"used\" points=\"")[1].split("\"")[0].split(" "))
                    .as("a chart point per pass (the server runs one more at start)").hasSizeGreaterThanOrEqualTo(4);

            // In plain words: a verdict first, local times to the second, no ISO durations or raw instants.
            assertThat(dom.indexOf("id=\"verdict\"")).as("the verdict comes before the disks")
                    .isPositive().isLessThan(dom.indexOf("<h2>Disks</h2>"));
            assertThat(dom).contains("<div id=\"verdict\" class=\"verdict act\"><b>")
                    .contains("Disk " + disk.root() + " is at critical: ")
                    .contains("armed by hand").doesNotContain("by manual")
                    .containsPattern("Last pass \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ")
                    .doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d+")
                    .doesNotContainPattern("\\bPT\\d")
                    .doesNotContainPattern("\\b1 (brokers|sidecars|points)\\b");

            // Kept for people (docs/images, shown in the README): a phone and a desktop.
            screenshot(url, 390, 1400, "status-page-phone.png");
            screenshot(url, 1280, 1000, "status-page-desktop.png");
        }
    }

    /**
     * A screenshot of {@code url} at this window size, checked and copied to target/screenshots/{@code name};
     * with {@code -Dguardian.update.screenshots=true}, to docs/images/ (the README's), so a test run does not
     * leave the tree changed.
     */
    private void screenshot(String url, int width, int height, String name) throws IOException, InterruptedException {
        Path png = tmp.resolve(name);
        chromium("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars", url);
        byte[] image = Files.readAllBytes(png);
        assertThat(new String(image, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        ByteBuffer header = ByteBuffer.wrap(image, 16, 8); // IHDR: width, height
        assertThat(header.getInt()).isEqualTo(width);
        assertThat(header.getInt()).isEqualTo(height);
        assertThat(image.length).as("a page with text and a chart, not a blank one").isGreaterThan(20_000);
        Path images = Files.createDirectories(Boolean.getBoolean("guardian.update.screenshots")
                ? Path.of("..", "docs", "images") : Path.of("target", "screenshots"));
        Files.copy(png, images.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs headless Chromium with a fresh profile and returns what it printed. */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        command.addAll(List.of(args));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
        }
        assertThat(process.exitValue()).as("chromium %s%n%s", args[0], Files.readString(err)).isZero();
        return Files.readString(out);
    }

    /** A closed segment of {@code logBytes} and an active one with Kafka's sparse 10 MiB indexes. */
    private static void segment(Path partition, long baseOffset, long logBytes) throws IOException {
        Files.createDirectories(partition);
        String base = String.format(Locale.ROOT, "%020d", baseOffset);
        Files.write(partition.resolve(base + ".log"), new byte[(int) logBytes]);
        Files.write(partition.resolve(base + ".index"), new byte[8192]);
        Files.write(partition.resolve(base + ".timeindex"), new byte[12288]);
        String active = String.format(Locale.ROOT, "%020d", baseOffset + 500);
        Files.write(partition.resolve(active + ".log"), new byte[4096]);
        for (String index : List.of(".index", ".timeindex")) {
            try (RandomAccessFile file = new RandomAccessFile(partition.resolve(active + index).toFile(), "rw")) {
                file.setLength(10 * MIB);
            }
        }
    }
}
