package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * --logdir names the log dirs or picks among them; the arguments repeated in a printed command
 * (prestart's drop, --finish, --undo) must reach the same log dirs either way.
 */
class ConfigOptionsTest {

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private ConfigOptions options(String... args) {
        CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        CommandLine.ParseResult result = cl.parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return ((PrestartCommand) result.commandSpec().userObject()).options;
    }

    @Test
    void whereLogdirNamesTheLogDirsThePrintedArgumentsNameThemAll() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));

        ConfigOptions named = options("prestart", "--logdir", a.toString(), "--logdir", b.toString());

        assertThat(named.picksLogDirs()).isFalse();
        assertThat(named.asArguments()).isEqualTo("--logdir " + a + " --logdir " + b);
        assertThat(named.settings().logDirs()).containsExactly(a, b);
    }

    @Test
    void whereTheConfigurationNamesThemLogdirPicksAndIsNotRepeated() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Path config = Files.writeString(tmp.resolve("g.properties"), "log.dirs=" + a + "," + b + "\n");

        ConfigOptions picking = options("prestart", "--config", config.toString(), "--logdir", a.toString());

        assertThat(picking.picksLogDirs()).isTrue();
        assertThat(picking.asArguments()).isEqualTo("--config " + config);
        assertThat(picking.settingsForSubset().logDirs()).containsExactly(a, b);
        assertThat(picking.requestedLogDirs()).containsExactly(a);
    }

    @Test
    void theOldLogDirsNamesThemAndIsPrintedInTheNewForm() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));

        ConfigOptions old = options("prestart", "--log-dirs", a + "," + b, "--logdir", b.toString());

        assertThat(old.picksLogDirs()).isTrue();
        assertThat(old.requestedLogDirs()).containsExactly(b);
        assertThat(old.asArguments()).isEqualTo("--logdir " + a + " --logdir " + b);
        assertThat(err.toString()).as("said once").containsOnlyOnce("--log-dirs is deprecated");
    }
}
