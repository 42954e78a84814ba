package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send half a request, trickle it, or flood the public routes: the probes, /metrics and
 * the token-protected release still answer at once, and the stalled connections are closed after
 * {@code http.read.timeout.ms}. Real sockets against the real sidecar server.
 */
class HostileClientTest {

    private static final int READ_TIMEOUT_MS = 1_500;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SidecarServer start(Map<String, String> extra) throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0",
                "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString(),
                "http.read.timeout.ms", Integer.toString(READ_TIMEOUT_MS)));
        config.putAll(extra);
        return SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)));
    }

    private HttpResponse<String> get(SidecarServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A socket that sent {@code bytes} and then holds the connection open. */
    private static Socket half(SidecarServer server, String bytes) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(server.http().address().getAddress(), server.http().address().getPort()), 5_000);
        OutputStream out = s.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** Seconds until the server closes {@code s} (read returns -1 or the connection is reset), at most {@code limitMs}. */
    private static double secondsUntilClosed(Socket s, long startNanos, int limitMs) throws IOException {
        s.setSoTimeout(limitMs);
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // a server may answer a broken request before closing; read to the end
            }
        } catch (SocketTimeoutException e) {
            return Double.POSITIVE_INFINITY;
        } catch (IOException reset) {
            // closed by the server with a reset: closed all the same
        }
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Test
    void halfRequestLinesBlockNoProbeAndAreClosedAfterTheReadTimeout() throws Exception {
        try (SidecarServer server = start(Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sidecar().ready());
            assertThat(get(server, "/healthz").statusCode()).as("warm-up: the client's own first-use cost is not measured").isEqualTo(200);
            long opened = System.nanoTime();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                stalled.add(half(server, i % 2 == 0 ? "GET /heal" : "GET /metrics HTTP/1.1\r\nHost: x\r\n"));
            }
            try {
                for (String path : List.of("/healthz", "/readyz", "/metrics")) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = get(server, path);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                    System.out.printf("%s answered in %.3f s while 40 clients hold half a request%n", path, seconds);
                    assertThat(seconds).as("%s answered in %.2f s while 40 clients hold half a request", path, seconds)
                            .isLessThan(1.0);
                }
                for (Socket s : stalled) {
                    double closedAfter = secondsUntilClosed(s, opened, READ_TIMEOUT_MS + 5_000);
                    System.out.printf("stalled connection closed %.3f s after opening%n", closedAfter);
                    assertThat(closedAfter).as("a stalled connection is closed after the %d ms read timeout", READ_TIMEOUT_MS)
                            .isBetween(READ_TIMEOUT_MS / 1000.0 - 0.2, READ_TIMEOUT_MS / 1000.0 + 3.0);
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientTricklingItsRequestHeadIsClosedAtTheReadTimeoutThoughItIsNeverSilent() throws Exception {
        try (SidecarServer server = start(Map.of())) {
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            int sent = 0;
            try (Socket s = half(server, "")) {
                OutputStream out = s.getOutputStream();
                try {
                    // one byte every 200 ms: never silent for the idle timeout, yet the whole head takes ~15 s
                    for (; sent < request.length; sent++) {
                        out.write(request[sent]);
                        out.flush();
                        Thread.sleep(200);
                        if ((System.nanoTime() - start) / 1e6 > READ_TIMEOUT_MS + 4_000) {
                            break;
                        }
                    }
                } catch (IOException closed) {
                    // the server closed the connection: what this test wants
                }
                double closedAfter = secondsUntilClosed(s, start, 5_000);
                assertThat(sent).as("the head was not complete when the server closed").isLessThan(request.length);
                assertThat(closedAfter).as("closed %.2f s after opening", closedAfter)
                        .isBetween(READ_TIMEOUT_MS / 1000.0 - 0.2, READ_TIMEOUT_MS / 1000.0 + 3.0);
            }
        }
    }

    @Test
    void theReleaseAnswersWhileUnauthenticatedRoutesAreSaturatedAndSlowAnswersOutliveTheReadTimeout() throws Exception {
        try (SidecarServer server = start(Map.of("http.token", "s3cret"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sidecar().ready());
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger inside = new AtomicInteger();
            server.http().route("/test/slow", "GET", false, request -> {
                inside.incrementAndGet();
                release.await(60, TimeUnit.SECONDS);
                return HttpApi.Response.text(200, "slow\n");
            });
            int flood = HttpApi.PUBLIC_THREADS + HttpApi.PUBLIC_QUEUE + 10;
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/test/slow")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("the slow requests hold every public work thread").atMost(Duration.ofSeconds(10))
                    .until(() -> inside.get() >= HttpApi.PUBLIC_THREADS);
            try {
                // unauthenticated routes are saturated: cluster forwarding, drop candidates, the page answer busy
                await("public routes are refused while saturated").atMost(Duration.ofSeconds(10))
                        .until(() -> get(server, "/api/v1/cluster").statusCode() == 503);
                HttpResponse<String> busy = get(server, "/api/v1/cluster");
                assertThat(busy.body()).contains("\"error\"").contains("busy");
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");

                // an unauthenticated request to the release is refused before it is queued
                HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/api/v1/ballast/release?reason=drill")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(noToken.statusCode()).isEqualTo(401);

                long start = System.nanoTime();
                HttpResponse<String> released = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                                + "/api/v1/ballast/release?reason=drill")).header("Authorization", "Bearer s3cret")
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
                assertThat(released.body()).contains("\"released\"");
                assertThat(seconds).as("the release answered in %.2f s with the public routes saturated", seconds).isLessThan(2.0);
                assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
                // hold the slow answers past the read timeout: an answer being worked on is not cut by it
                Thread.sleep(READ_TIMEOUT_MS + 500);
            } finally {
                release.countDown();
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(503);
                    refused++;
                }
            }
            assertThat(ok).as("every accepted slow request got its answer after %d ms", READ_TIMEOUT_MS + 500)
                    .isGreaterThanOrEqualTo(HttpApi.PUBLIC_THREADS);
            assertThat(refused).as("beyond threads and queue the public pool refuses").isGreaterThan(0);
        }
    }
}
