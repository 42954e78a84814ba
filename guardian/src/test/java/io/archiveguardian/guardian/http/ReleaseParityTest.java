package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/ballast/release} accepts exactly what {@code guardian ballast release}
 * accepts: each combination is sent both ways, on two real filesystems, and both refuse (exit 2,
 * HTTP 400 in JSON worded with query parameters) or both act (exit 0, HTTP 200).
 */
class ReleaseParityTest {

    @RegisterExtension
    static final SmallFilesystemExtension DISK1 = SmallFilesystemExtension.tmpfs(16L << 20);

    @RegisterExtension
    static final SmallFilesystemExtension DISK2 = SmallFilesystemExtension.tmpfs(16L << 20);

    @TempDir
    static Path tmp;

    static Path logDir1;
    static Path logDir2;
    static Path config;
    static SidecarServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        logDir1 = Files.createDirectory(DISK1.root().resolve("kafka"));
        logDir2 = Files.createDirectory(DISK2.root().resolve("kafka"));
        List<String> lines = List.of("log.dirs=" + logDir1 + "," + logDir2, "http.listen=127.0.0.1:0",
                "scan.interval.ms=60000", "state.dir=" + tmp.resolve("state"), "http.token=s3cret");
        config = Files.write(tmp.resolve("guardian.properties"), lines);
        server = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, java.util.Map.of())));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One way of asking, written for both surfaces. */
    record Ask(String what, List<String> cli, String query) {
    }

    static Ask ask(String what, String query, String... cli) {
        return new Ask(what, List.of(cli), query);
    }

    static String enc(Object v) {
        return URLEncoder.encode(v.toString(), StandardCharsets.UTF_8);
    }

    private static int cli(List<String> args, StringBuilder err) {
        List<String> all = new ArrayList<>(List.of("ballast", "release", "--config", config.toString()));
        all.addAll(args);
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true), all.toArray(String[]::new));
        err.append(e);
        return code;
    }

    private static HttpResponse<String> http(String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/ballast/release" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer s3cret").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyCombinationTheCliRefusesTheRouteRefusesInItsOwnWords() throws Exception {
        String d1 = logDir1.toString();
        String d2 = logDir2.toString();
        List<Ask> refused = List.of(
                ask("no reason", "logdir=" + enc(d1), "--logdir", d1),
                ask("a blank reason", "reason=%20&logdir=" + enc(d1), "--reason", " ", "--logdir", d1),
                ask("tiers and all", "reason=r&tiers=2&all=true&logdir=" + enc(d1), "--reason", "r", "--tiers", "2", "--all", "--logdir", d1),
                ask("zero tiers", "reason=r&tiers=0&logdir=" + enc(d1), "--reason", "r", "--tiers", "0", "--logdir", d1),
                ask("negative tiers", "reason=r&tiers=-1&logdir=" + enc(d1), "--reason", "r", "--tiers", "-1", "--logdir", d1),
                ask("tiers not a number", "reason=r&tiers=two&logdir=" + enc(d1), "--reason", "r", "--tiers", "two", "--logdir", d1),
                ask("all disks and a log dir", "reason=r&all_disks=true&logdir=" + enc(d1), "--reason", "r", "--all-disks", "--logdir", d1),
                ask("a log dir that is not the broker's", "reason=r&logdir=" + enc(tmp), "--reason", "r", "--logdir", tmp.toString()),
                ask("two filesystems and neither picked", "reason=r", "--reason", "r"),
                ask("an empty log dir", "reason=r&logdir=", "--reason", "r", "--logdir", ""),
                ask("a comma in the log dir", "reason=r&logdir=" + enc(d1 + "," + d2), "--reason", "r", "--logdir", d1 + "," + d2));
        for (Ask a : refused) {
            StringBuilder err = new StringBuilder();
            assertThat(cli(a.cli(), err)).as("CLI, %s: %s", a.what(), err).isEqualTo(2);
            HttpResponse<String> r = http(a.query());
            assertThat(r.statusCode()).as("HTTP, %s: %s", a.what(), r.body()).isEqualTo(400);
            JsonNode body = new ObjectMapper().readTree(r.body());
            String error = body.path("error").asText();
            assertThat(error).as("HTTP, %s", a.what()).isNotEmpty().doesNotContain("--");
            assertThat(body.path("parameters")).extracting(JsonNode::asText)
                    .containsExactly("all", "all_disks", "logdir", "reason", "tiers");
            System.out.printf("%s%n  CLI:  %s  HTTP: %s%n", a.what(), err.toString().trim().lines().findFirst().orElse(""), error);
        }
    }

    @Test
    void everyCombinationTheCliAcceptsTheRouteAccepts() throws Exception {
        String d1 = logDir1.toString();
        String d2 = logDir2.toString();
        List<Ask> accepted = List.of(
                ask("one log dir, one tier by default", "reason=r&logdir=" + enc(d1), "--reason", "r", "--logdir", d1),
                ask("N tiers", "reason=r&tiers=2&logdir=" + enc(d1), "--reason", "r", "--tiers", "2", "--logdir", d1),
                ask("every tier on every disk", "reason=r&all=true&all_disks=true", "--reason", "r", "--all", "--all-disks"),
                ask("two log dirs", "reason=r&logdir=" + enc(d1) + "&logdir=" + enc(d2), "--reason", "r", "--logdir", d1, "--logdir", d2),
                ask("a log dir written with a trailing slash", "reason=r&logdir=" + enc(d1 + "/"), "--reason", "r", "--logdir", d1 + "/"));
        for (Ask a : accepted) {
            StringBuilder err = new StringBuilder();
            assertThat(cli(a.cli(), err)).as("CLI, %s: %s", a.what(), err).isZero();
            HttpResponse<String> r = http(a.query());
            assertThat(r.statusCode()).as("HTTP, %s: %s", a.what(), r.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(r.body()).path("released").isArray()).isTrue();
        }
    }

    @Test
    void valuesOnlyTheQueryCanCarryAreRefusedNamingTheParameter() throws Exception {
        String d1 = enc(logDir1);
        assertThat(new ObjectMapper().readTree(http("reason=r&all=yes&logdir=" + d1).body()).path("error").asText())
                .isEqualTo("all=yes: give all=true or all=false (or leave it out).");
        assertThat(new ObjectMapper().readTree(http("reason=r&logdir=kafka").body()).path("error").asText())
                .startsWith("logdir=kafka is not an absolute path");
        assertThat(new ObjectMapper().readTree(http("reason=r&tier=2&logdir=" + d1).body()).path("error").asText())
                .isEqualTo("unknown parameter tier on POST /api/v1/ballast/release; it takes all, all_disks, logdir, reason, tiers");
        assertThat(new ObjectMapper().readTree(http("reason=r&reason=s&logdir=" + d1).body()).path("error").asText())
                .isEqualTo("reason= is given 2 times; give it once.");
    }
}
