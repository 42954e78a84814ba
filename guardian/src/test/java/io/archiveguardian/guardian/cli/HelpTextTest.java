package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
            if (name.endsWith("generate-completion")) {
                continue; // picocli's own
            }
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
}
