package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes and /metrics answer while other requests are stuck; drop candidates never wait on the cluster. */
class HttpStarvationTest {

    @TempDir
    Path tmp;

    private SidecarServer start(Map<String, String> extra) throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> config = new java.util.HashMap<>(Map.of("log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0",
                "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString()));
        config.putAll(extra);
        return SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)));
    }

    @Test
    void healthReadinessAndMetricsAnswerWhileSlowRequestsHoldEveryWorkThread() throws Exception {
        try (SidecarServer server = start(Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sidecar().ready());
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger inside = new AtomicInteger();
            server.http().route("/test/slow", "GET", false, ex -> {
                inside.incrementAndGet();
                release.await(60, TimeUnit.SECONDS);
                return HttpApi.Response.text(200, "slow\n");
            });
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/test/slow")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("the slow requests occupy the work threads").atMost(Duration.ofSeconds(10)).until(() -> inside.get() >= 2);
            try {
                for (String path : List.of("/healthz", "/readyz", "/metrics")) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    double seconds = (System.nanoTime() - start) / 1e9;
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                    assertThat(seconds).as("%s answered in %.2f s while 6 slow requests wait", path, seconds).isLessThan(2.0);
                }
            } finally {
                release.countDown();
            }
            for (CompletableFuture<HttpResponse<String>> f : slow) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void dropCandidatesAcceptOnlyTheBrokersOwnLogDirsAndServeTheCacheWithoutAskingTheCluster() throws Exception {
        try (SidecarServer server = start(Map.of("node.id", "1", "bootstrap.servers", "no-such-broker.invalid:9092"))) {
            await("the cluster thread found the cluster unavailable").atMost(Duration.ofSeconds(30))
                    .until(() -> server.sidecar().cluster().problem().startsWith("cluster unavailable: "));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/api/v1/drop-candidates?logdir=/etc")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).isEqualTo(400);
            assertThat(foreign.body()).contains("logdir=/etc is not one of this broker's log dirs [" + tmp.resolve("logs") + "]");

            long start = System.nanoTime();
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/api/v1/drop-candidates")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(503);
            assertThat(none.body()).contains("no drop candidates computed yet (cluster unavailable: ");
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
        }
    }

    @Test
    void aTokenOnANonLoopbackListenerWithoutTlsIsWarnedAbout() {
        assertThat(HttpApi.startupWarnings("0.0.0.0", Optional.of("secret"), false)).singleElement().asString()
                .startsWith("http.token is set and the HTTP server listens on 0.0.0.0, which is not a loopback address, "
                        + "without TLS");
        assertThat(HttpApi.startupWarnings("0.0.0.0", Optional.of("secret"), true)).as("HTTPS: the token is encrypted").isEmpty();
        assertThat(HttpApi.startupWarnings("127.0.0.1", Optional.of("secret"), false)).isEmpty();
        assertThat(HttpApi.startupWarnings("localhost", Optional.of("secret"), false)).isEmpty();
        assertThat(HttpApi.startupWarnings("0.0.0.0", Optional.empty(), false)).isEmpty();
    }
}
