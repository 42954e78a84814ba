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
import org.junit.jupiter.api.io.TempDir;
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

    /** The shipped example configs, as the docs and units name them on a broker host. */
    private static final String GUARDIAN_PROPERTIES = "/etc/kafka-guardian/guardian.properties";
    private static final String SERVER_PROPERTIES = "/etc/kafka/server.properties";
    /** {@code /opt/kafka-guardian/bin/guardian ...} in the systemd units and the pod snippet (continuations joined). */
    private static final Pattern DEPLOYED = Pattern.compile("/opt/kafka-guardian/bin/(guardian [a-z][^\"&\n]*)");

    @TempDir
    Path tmp;

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
        found.addAll(deployLines()); // the units' and the pod snippet's lines, guardian run included
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

    /**
     * Every line that names the shipped configs (deploy/systemd/guardian.properties as
     * /etc/kafka-guardian/guardian.properties, or /etc/kafka/server.properties), in the docs and in
     * deploy/, run as written against those files on a stand-in host: the shipped guardian.properties
     * as it is (only its paths and, so that a line does not wait 30 s for a cluster that is not there,
     * the two cluster timeouts shortened), a server.properties naming the docs' log dirs
     * (/data/kafka, /data/kafka-logs) and node.id 1, a broker whose listener refuses. A line may fail
     * for what the host lacks (no cluster: exit 1 or 3), never as bad usage or configuration (exit 2).
     * {@code guardian run} starts the sidecar and is only parsed (above).
     */
    @Test
    void everyLineThatNamesTheShippedConfigsRunsAgainstThem() throws Exception {
        List<Found> found = new ArrayList<>(docLines());
        found.addAll(deployLines());
        List<Found> runnable = found.stream()
                .filter(f -> f.line().contains(GUARDIAN_PROPERTIES) || f.line().contains(SERVER_PROPERTIES))
                .filter(f -> !f.line().contains(" | ") && !f.line().contains("["))
                .filter(f -> !f.line().startsWith("guardian run ") && !f.line().startsWith("guardian demo"))
                .toList();
        assertThat(runnable).as("lines that name the shipped configs")
                .anyMatch(f -> f.line().contains("guardian drop --config " + GUARDIAN_PROPERTIES))
                .anyMatch(f -> f.where().startsWith("deploy/"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String dir : List.of("kafka", "kafka-logs")) {
            Path logDir = Files.createDirectories(data.resolve(dir));
            Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
            Files.createDirectories(logDir.resolve("archive-4"));
            Files.createDirectories(logDir.resolve("archive-5"));
        }
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path server = Files.writeString(tmp.resolve("server.properties"), "node.id=1\nprocess.roles=broker\n"
                + "log.dirs=" + data.resolve("kafka") + "," + data.resolve("kafka-logs") + "\n"
                + "listeners=PLAINTEXT://127.0.0.1:" + closedPort + "\n");
        String shipped = Files.readString(ROOT.resolve("deploy/systemd/guardian.properties"));
        assertThat(shipped).contains("broker.config=" + SERVER_PROPERTIES);
        Path guardian = Files.writeString(tmp.resolve("guardian.properties"), shipped.replace(SERVER_PROPERTIES, server.toString())
                + "\nstate.dir=" + tmp.resolve("state") + "\nadmin.timeout.ms=1000\nprestart.cluster.timeout.ms=1000\n");
        // as on a host whose sidecar ran: a recorded write rate, so that ballast recommend does not sample for 10 s
        new io.archiveguardian.guardian.recovery.GrowthRecord(java.time.Instant.now(), java.util.Map.of(
                data.resolve("kafka").toString(), new io.archiveguardian.guardian.recovery.GrowthRecord.LogDir(1 << 20, null),
                data.resolve("kafka-logs").toString(), new io.archiveguardian.guardian.recovery.GrowthRecord.LogDir(1 << 20, null)))
                .write(Files.createDirectories(tmp.resolve("state")));
        List<String> problems = new ArrayList<>();
        for (Found f : runnable) {
            String line = f.line().replace(GUARDIAN_PROPERTIES, guardian.toString())
                    .replace(SERVER_PROPERTIES, server.toString()).replace(" /data/", " " + data + "/");
            List<String> args = words(line);
            args.remove(0);
            CliRun run = java.util.concurrent.CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (run.exitCode() == 2) {
                problems.add(f.where() + ": " + f.line() + "\n    exit 2: " + run.err().trim());
            }
        }
        assertThat(problems).as("lines in the docs and deploy/ that the shipped configs refuse").isEmpty();
    }

    private static List<Found> docLines() throws IOException {
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
                    found.add(new Found(ROOT.relativize(file) + ":" + lineOf(text, m.start()), clean(m.group(1))));
                }
            }
        }
        return found;
    }

    /** The guardian command lines of the systemd units and the Kubernetes snippet. */
    private static List<Found> deployLines() throws IOException {
        List<Found> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(ROOT.resolve("deploy"))) {
            files = all.filter(p -> !p.startsWith(ROOT.resolve("deploy/src")) && !p.startsWith(ROOT.resolve("deploy/target")))
                    .filter(p -> p.toString().matches(".*\\.(service|conf|yaml)$")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file).replaceAll("\\\\\\n\\s*", " ");
            Matcher m = DEPLOYED.matcher(text);
            while (m.find()) {
                found.add(new Found(ROOT.relativize(file).toString(), clean(m.group(1))));
            }
        }
        return found;
    }

    private static int lineOf(String text, int offset) {
        return 1 + (int) text.substring(0, offset).chars().filter(c -> c == '\n').count();
    }

    private static String clean(String line) {
        return line.replaceAll("\\s+", " ").replaceAll("\\s+#.*$", "").replaceAll("\\s+\\(.*\\)$", "").trim();
    }
}
