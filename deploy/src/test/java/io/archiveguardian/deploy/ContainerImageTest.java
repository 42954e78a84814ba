package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/container/Dockerfile without a container engine (none runs here): every path it copies
 * exists in the real distribution, the image's file tree is laid out as its COPY lines would lay it
 * out, and its entry point (with its default command, and as the pod snippet calls it) is the
 * launcher and runs from that tree, without lib/demo/. The pod snippet names the image the
 * Dockerfile's build line tags. Not tested: that an engine builds it and that eclipse-temurin:17-jre
 * provides the JVM the launcher finds (docs/install.md says so).
 */
class ContainerImageTest {

    static final String DOCKERFILE = "container/Dockerfile";
    static final Pattern COPY = Pattern.compile("^COPY\\s+(.+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void theImageIsTheDistributionOnAJava17Runtime() {
        String dockerfile = Deployment.file(DOCKERFILE);
        assertThat(instruction(dockerfile, "FROM")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(instruction(dockerfile, "ENTRYPOINT")).isEqualTo("[\"" + Deployment.GUARDIAN_HOME + "/bin/guardian\"]");
    }

    @Test
    void everyPathItCopiesExistsInTheDistribution() {
        for (Copy c : copies(Deployment.file(DOCKERFILE))) {
            for (String source : c.sources()) {
                assertThat(matches(Deployment.dist(), source)).as("COPY " + source + " in the distribution").isNotEmpty();
            }
            assertThat(c.destination()).startsWith(Deployment.GUARDIAN_HOME + "/");
        }
    }

    @Test
    void theEntryPointRunsFromTheImagesTreeWithoutTheDemoJars() throws Exception {
        Path root = tmp.resolve("image");
        for (Copy c : copies(Deployment.file(DOCKERFILE))) {
            Path destination = root.resolve(c.destination().substring(1));
            for (String source : c.sources()) {
                for (Path file : matches(Deployment.dist(), source)) {
                    copy(file, source.endsWith("/") || Files.isDirectory(file) ? destination
                            : destination.resolve(file.getFileName().toString()));
                }
            }
        }
        Path home = root.resolve(Deployment.GUARDIAN_HOME.substring(1));
        assertThat(home.resolve("lib/demo")).as("the demo's broker stays out of the image").doesNotExist();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("kafka_2.13") || n.startsWith("scala-") || n.startsWith("rocksdbjni"))
                    .anyMatch(n -> n.startsWith("guardian-"));
        }
        Path launcher = home.resolve("bin/guardian");
        assertThat(launcher).isExecutable();

        // ENTRYPOINT + CMD, as `docker run IMAGE` would run them
        String dockerfile = Deployment.file(DOCKERFILE);
        List<String> cmd = jsonArray(instruction(dockerfile, "CMD"));
        List<String> run = new ArrayList<>(List.of(launcher.toString()));
        run.addAll(cmd);
        Deployment.Run help = Deployment.run(run, tmp);
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: guardian");

        // the sidecar's command of the pod snippet, asked for its help: its classes load from the image's lib/
        JsonNode pod = new ObjectMapper(new YAMLFactory()).readTree(Deployment.file(KubernetesSnippetTest.SNIPPET));
        List<String> sidecar = new ArrayList<>();
        KubernetesSnippetTest.container(pod, "initContainers", "guardian").path("command").forEach(w -> sidecar.add(w.asText()));
        assertThat(sidecar.get(0)).isEqualTo(Deployment.GUARDIAN_HOME + "/bin/guardian");
        Deployment.Run runHelp = Deployment.run(List.of(launcher.toString(), sidecar.get(1), "--help"), tmp);
        assertThat(runHelp.exitCode()).as(runHelp.output()).isZero();

        Deployment.Run version = Deployment.run(List.of(launcher.toString(), "--version"), tmp);
        assertThat(version.output()).containsPattern("guardian \\S+ \\(revision ([0-9a-f]{12}|unknown)\\)");

        // and `guardian demo` says what is missing instead of a stack trace
        Deployment.Run demo = Deployment.run(List.of(launcher.toString(), "demo", "--data-dir", tmp.resolve("demo").toString()), tmp);
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.output()).contains("guardian demo needs the in-process broker's jars in").doesNotContain("\tat ");
    }

    @Test
    void thePodSnippetNamesTheImageTheBuildLineTags() throws Exception {
        Matcher tag = Pattern.compile("docker build -f deploy/container/Dockerfile -t (\\S+) \\.").matcher(Deployment.file(DOCKERFILE));
        assertThat(tag.find()).as("the Dockerfile's build line").isTrue();
        JsonNode pod = new ObjectMapper(new YAMLFactory()).readTree(Deployment.file(KubernetesSnippetTest.SNIPPET));
        List<String> images = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            pod.path(list).forEach(c -> {
                if (c.path("name").asText().startsWith("guardian")) {
                    images.add(c.path("image").asText());
                }
            });
        }
        assertThat(images).isNotEmpty().allMatch(tag.group(1)::equals);
    }

    record Copy(List<String> sources, String destination) {
    }

    static List<Copy> copies(String dockerfile) {
        List<Copy> copies = new ArrayList<>();
        Matcher m = COPY.matcher(dockerfile);
        while (m.find()) {
            List<String> words = List.of(m.group(1).trim().split("\\s+"));
            assertThat(words.get(0)).as("no --from or --chown: the image is the distribution").doesNotStartWith("--");
            copies.add(new Copy(words.subList(0, words.size() - 1), words.get(words.size() - 1)));
        }
        assertThat(copies).isNotEmpty();
        return copies;
    }

    static String instruction(String dockerfile, String name) {
        Matcher m = Pattern.compile("^" + name + "\\s+(.+)$", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(m.find()).as(name + " in the Dockerfile").isTrue();
        return m.group(1).trim();
    }

    static List<String> jsonArray(String json) throws IOException {
        List<String> words = new ArrayList<>();
        new ObjectMapper().readTree(json).forEach(w -> words.add(w.asText()));
        return words;
    }

    /** What a COPY source names in the build context: a file, a directory, or a glob of one directory's files. */
    static List<Path> matches(Path context, String source) {
        String s = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        if (!s.contains("*")) {
            Path p = context.resolve(s);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        Path dir = context.resolve(s).getParent();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + context.resolve(s));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(glob::matches).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                try (Stream<Path> all = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.createDirectories(target.getParent());
                            Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            } else {
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
