package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer under {@code /api/v1/} is JSON, errors included: 400 (malformed query, unknown
 * parameter, bad value, a request Jetty cannot parse), 401, 403, 404, 405, 409, 500, 503; each error
 * is {@code {"error", "status"[, "parameters"]}} and names the API's parameters, never a CLI option.
 */
class ApiErrorsTest {

    @TempDir
    static Path tmp;

    static SidecarServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0",
                "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString(), "http.token", "s3cret",
                "node.id", "1"));
        server = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)));
        server.http().route("/api/v1/test-broken", "GET", false, Set.of(), request -> {
            throw new IllegalStateException("a bug in a route");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String pathAndQuery, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token) {
            b.header("Authorization", "Bearer s3cret");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer is a JSON error object with this status; returns it. */
    private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.isObject()).as(r.body()).isTrue();
        assertThat(body.path("error").isTextual()).as(r.body()).isTrue();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).as("an HTTP error names no CLI option").doesNotContain("--");
        return body;
    }

    @Test
    void notFoundUnderTheApiIsJsonAndListsTheRoutes() throws Exception {
        JsonNode body = error(send("GET", "/api/v1/no-such-thing", false), 404);
        assertThat(body.path("error").asText()).contains("GET /api/v1/status").contains("POST /api/v1/ballast/release");
        error(send("GET", "/api/v1", false), 404);
        error(send("GET", "/api/v1/cluster/brokers/1/extra", false), 404);
        // the cluster view's own refusal (no cluster configured here) in the same shape
        HttpResponse<String> view = send("GET", "/api/v1/cluster", false);
        assertThat(view.statusCode()).isGreaterThanOrEqualTo(400);
        error(view, view.statusCode());
    }

    @Test
    void aWrongMethodIsA405WithAllow() throws Exception {
        HttpResponse<String> delete = send("DELETE", "/api/v1/status", false);
        error(delete, 405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> getRelease = send("GET", "/api/v1/ballast/release?reason=x", true);
        assertThat(error(getRelease, 405).path("error").asText()).contains("use POST");
        assertThat(getRelease.headers().firstValue("Allow")).hasValue("POST");
        error(send("PUT", "/api/v1/drop-candidates", false), 405);
    }

    @Test
    void aMalformedQueryAnUnknownParameterAndABadValueAre400sNamingTheRoutesParameters() throws Exception {
        // java.net.URI refuses to build this request; a raw socket sends it as a hand-written client would
        String answer = raw("GET /api/v1/drop-candidates?need=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        JsonNode malformed = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(malformed.path("error").asText()).startsWith("malformed query 'need=%zz'");
        assertThat(malformed.path("parameters")).extracting(JsonNode::asText).containsExactly("for_start", "logdir", "need");

        JsonNode unknown = error(send("GET", "/api/v1/drop-candidates?logdirs=/x", false), 400);
        assertThat(unknown.path("error").asText())
                .isEqualTo("unknown parameter logdirs on GET /api/v1/drop-candidates; it takes for_start, logdir, need");

        error(send("GET", "/api/v1/status?verbose=true", false), 400);
        assertThat(error(send("GET", "/api/v1/cluster?summary=yes", false), 400).path("error").asText())
                .isEqualTo("summary=yes: give summary=true or summary=false (or leave it out).");
        assertThat(error(send("GET", "/api/v1/drop-candidates?need=lots", false), 400).path("error").asText())
                .startsWith("need=lots: ");
        assertThat(error(send("GET", "/api/v1/drop-candidates?need=1G&need=2G", false), 400).path("error").asText())
                .isEqualTo("need= is given 2 times; give it once.");
    }

    @Test
    void tokenRefusalsAreJson() throws Exception {
        error(send("POST", "/api/v1/ballast/release?reason=x", false), 401);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/api/v1/ballast/release?reason=x")).header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        error(wrong, 401);
    }

    @Test
    void aFailingRouteIsA500InJsonAndAConflictA409() throws Exception {
        assertThat(error(send("GET", "/api/v1/test-broken", false), 500).path("error").asText())
                .contains("IllegalStateException: a bug in a route");
        // drop candidates for the next start while there is none to plan: the route's own 409
        error(send("GET", "/api/v1/drop-candidates?for_start=true", false), 409);
    }

    @Test
    void requestsJettyRefusesItselfAreAnsweredInJsonToo() throws Exception {
        String bad = raw("GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\nthis line has no colon\r\n\r\n");
        assertThat(bad).startsWith("HTTP/1.1 400");
        assertThat(bad).containsIgnoringCase("Content-Type: application/json");
        JsonNode body = JSON.readTree(bad.substring(bad.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("status").asInt()).isEqualTo(400);
        assertThat(body.path("error").isTextual()).isTrue();

        String huge = raw("GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(huge).matches("(?s)HTTP/1.1 4(31|13|00).*");
        assertThat(huge).containsIgnoringCase("Content-Type: application/json");
        assertThat(JSON.readTree(huge.substring(huge.indexOf("\r\n\r\n") + 4)).path("error").isTextual()).isTrue();
    }

    private static String raw(String request) throws Exception {
        try (Socket s = new Socket(server.http().address().getAddress(), server.http().address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException reset) {
            throw new AssertionError("the server reset the connection instead of answering", reset);
        }
    }

    @Test
    void theProbesAndThePageStayWhatTheyAre() throws Exception {
        assertThat(send("GET", "/healthz", false).body()).isEqualTo("ok\n");
        HttpResponse<String> head = send("HEAD", "/api/v1/status", false);
        assertThat(head.statusCode()).isIn(200, 503);
        assertThat(head.body()).isEmpty();
        assertThat(send("HEAD", "/healthz", false).statusCode()).isEqualTo(200);
        HttpResponse<String> page = send("GET", "/", false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        HttpResponse<String> outside = send("GET", "/favicon.ico", false);
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(List.of(outside.headers().firstValue("Content-Type").orElse(""))).allMatch(ct -> ct.startsWith("text/plain"));
    }
}
