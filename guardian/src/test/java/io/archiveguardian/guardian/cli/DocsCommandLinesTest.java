package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code guardian ...} command line in the README and docs/ (in a code span or an indented
 * code block) names a command and options that exist, and every value it gives parses. Elisions
 * ({@code ...}) and placeholders ({@code <size>}, {@code HOST:PORT}) are filled in; a mention that
 * leaves out a required option (a reference, not a line to run) passes; an unknown command or
 * option, or a value the option refuses, fails with the file and line.
 */
class DocsCommandLinesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SPAN = Pattern.compile("`(guardian [a-z][^`]*)`");
    private static final Pattern BLOCK = Pattern.compile("(?m)^ {4,}(guardian [a-z].*)$");

    record Found(String where, String line) {
    }

    @Test
    void everyGuardianCommandLineInTheDocsParses() throws IOException {
        List<Found> found = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        for (Path file : files) {
            String text = Files.readString(file);
            for (Pattern p : List.of(SPAN, BLOCK)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                    found.add(new Found(ROOT.relativize(file) + ":" + line, m.group(1).replaceAll("\\s+", " ").trim()));
                }
            }
        }
        assertThat(found).as("command lines found in the docs").hasSizeGreaterThan(50);
        List<String> problems = new ArrayList<>();
        for (Found f : found) {
            if (f.line().contains(" | ") || f.line().contains("[")) {
                continue; // usage syntax (guardian run | status ..., [--output json]), not a command line
            }
            List<String> args = words(f.line());
            args.remove(0);
            try {
                Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                        .parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.MissingParameterException e) {
                // a reference that leaves out a required option
            } catch (CommandLine.ParameterException e) {
                problems.add(f.where() + ": " + f.line() + "\n    " + e.getMessage());
            }
        }
        assertThat(problems).as("command lines in the docs that guardian refuses").isEmpty();
    }

    /** Shell words (double quotes kept together), elisions dropped, placeholders filled in. */
    static List<String> words(String line) {
        String filled = line.replace("…", " ").replace("...", " ")
                .replaceAll("<size>", "1G").replaceAll("HOST:PORT", "127.0.0.1:9092")
                .replaceAll("<[^>]+>", "127.0.0.1:9092");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(filled);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }
}
