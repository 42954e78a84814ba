package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * --help reads as prose at any width: each description element is a whole paragraph (picocli
 * wraps it), and the first is a one-sentence summary, which is what a command list shows.
 */
class HelpTextTest {

    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    @Test
    void everyCommandStartsWithAOneSentenceSummaryAndWrapsWholeParagraphs() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : all) {
            String name = cl.getCommandSpec().qualifiedName();
            String[] description = cl.getCommandSpec().usageMessage().description();
            if (description.length == 0 || description[0].isBlank()) {
                problems.add(name + ": no description");
                continue;
            }
            String summary = description[0];
            if (!summary.endsWith(".") || summary.length() > 110) {
                problems.add(name + ": the summary is not one short sentence: " + summary);
            }
            for (String paragraph : description) {
                boolean brokenMidSentence = !paragraph.isEmpty() && !paragraph.matches("(?s).*[.:)]$");
                if (brokenMidSentence) {
                    problems.add(name + ": a description element ends mid-sentence (hard-wrapped?): " + paragraph);
                }
            }
        }
        assertThat(problems).isEmpty();
        StringWriter help = new StringWriter();
        Main.execute(new PrintWriter(help), new PrintWriter(new StringWriter()), "--help");
        assertThat(help.toString()).contains("  run                  Runs the sidecar: watches the disks and the broker,\n"
                + "                         frees ballast after an unclean exit, reports.\n");
    }

    /**
     * Every command's and subcommand's --help, as an operator runs it (a JVM of its own, since
     * picocli's warnings go to the process's stderr, not the command's writer): no picocli warning
     * (an unescaped '%' in a description), exit code 0.
     */
    @Test
    void everyHelpPrintsWithoutAPicocliWarning() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AllHelp.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Usage: guardian ballast arm ").contains("Usage: guardian generate-completion ")
                .doesNotContain("[picocli");
        assertThat(output.split("Usage: guardian", -1)).as("one help per command").hasSizeGreaterThan(20);
    }

    /** The same layout for picocli's own generate-completion as for every other command. */
    @Test
    void generateCompletionHelpHasTheLayoutOfTheOthers() {
        CliRun run = CliRun.of("generate-completion", "--help");
        assertThat(run.out()).startsWith("Usage: guardian generate-completion [-hV] [--verbose]\n"
                + "Prints the bash/zsh completion script for guardian.\n")
                .doesNotContain("Options:").contains("      --verbose   ");
        assertThat(CliRun.of("generate-completion", "--version").out()).startsWith("guardian ");
    }

    /** --logdir says what it does on each command: pick among the log dirs, or name every one. */
    @Test
    void logdirHelpDescribesTheCommandItIsOn() {
        for (String[] command : new String[][] {{"run"}, {"status"}, {"prestart"}, {"ballast", "recommend"},
                {"retention", "check"}}) {
            assertThat(help(command)).as(String.join(" ", command))
                    .contains("this command always covers every log dir of the broker").doesNotContain("to act on");
        }
        for (String[] command : new String[][] {{"drop"}, {"drop-candidates"}, {"ballast", "release"}, {"ballast", "status"},
                {"cordon", "add"}}) {
            assertThat(help(command)).as(String.join(" ", command))
                    .contains("A log dir of the broker to act on").doesNotContain("always covers");
        }
        assertThat(help("retention", "check").replaceAll("\\s+", " ")).contains("[--exclude=TOPIC[,TOPIC...]]...")
                .doesNotContain("TOPIC[,TOPIC...][,");
    }

    private static String help(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.add("--help");
        return CliRun.of(args.toArray(String[]::new)).out().replaceAll("\\s+", " ");
    }

    /** Prints the --help of every command and subcommand, as {@code guardian ... --help} does. */
    public static final class AllHelp {
        public static void main(String[] args) {
            List<CommandLine> all = new ArrayList<>();
            collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
            int failures = 0;
            for (CommandLine cl : all) {
                List<String> path = new ArrayList<>(List.of(cl.getCommandSpec().qualifiedName(" ").split(" ")));
                path.remove(0);
                path.add("--help");
                PrintWriter out = new PrintWriter(System.out, true);
                failures += Main.execute(out, new PrintWriter(System.err, true), path.toArray(String[]::new));
            }
            System.out.flush();
            System.exit(failures);
        }
    }
}
