package io.archiveguardian.guardian.clusterview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local sidecar never depends on the cluster view: dead cluster, view off, bad state.dir. */
class ClusterViewDegradedTest {

    @TempDir
    Path tmp;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDeadClusterNeverStallsStartUpPassesOrCloseAndHeartbeatsAreDroppedAndCounted() throws Exception {
        Map<String, Object> config = base();
        config.put(GuardianConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + Ports.free());
        long t = System.nanoTime();
        SidecarServer server = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)));
        boolean closed = false;
        try {
            assertThat(Duration.ofNanos(System.nanoTime() - t)).as("start-up").isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sidecar().ready());
            await().atMost(Duration.ofMinutes(1)).until(() -> server.sidecar().clusterView().heartbeatsDropped() >= 3);
            assertThat(server.sidecar().metrics().scrape()).containsPattern("guardian_heartbeats_dropped_total [1-9]");
            assertThat(get(server.baseUrl() + "/healthz").statusCode()).isEqualTo(200);

            long q = System.nanoTime();
            HttpResponse<String> cluster = get(server.baseUrl() + "/api/v1/cluster");
            assertThat(Duration.ofNanos(System.nanoTime() - q)).as("a cluster query").isLessThan(Duration.ofSeconds(10));
            assertThat(cluster.statusCode()).isEqualTo(503);
            assertThat(cluster.headers().firstValue("Retry-After")).contains("1");
            assertThat(cluster.body()).contains("the cluster view is starting");

            long c = System.nanoTime();
            server.sidecar().clusterView().close();
            assertThat(Duration.ofNanos(System.nanoTime() - c)).as("closing the cluster view (publisher 3 s, Streams 10 s)")
                    .isLessThan(Duration.ofSeconds(15));
            c = System.nanoTime();
            server.close();
            closed = true;
            // Sidecar.close() itself may wait up to 30 s for a pass that is queued behind its lock (not the
            // cluster view's doing; reported to the sidecar threading work).
            assertThat(Duration.ofNanos(System.nanoTime() - c)).as("closing the sidecar").isLessThan(Duration.ofSeconds(45));
        } finally {
            if (!closed) {
                server.close();
            }
        }
    }

    @Test
    void withTheViewOffTheSidecarWorksAndTheClusterRoutesSaySo() throws Exception {
        Map<String, Object> config = base();
        config.put(GuardianConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + Ports.free());
        config.put(GuardianConfig.CLUSTER_VIEW_ENABLED, "false");
        try (SidecarServer server = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sidecar().ready());
            assertThat(get(server.baseUrl() + "/api/v1/status").statusCode()).isEqualTo(200);
            HttpResponse<String> cluster = get(server.baseUrl() + "/api/v1/cluster/brokers/0");
            assertThat(cluster.statusCode()).isEqualTo(404);
            assertThat(cluster.body()).isEqualTo("{\"error\":\"the cluster view is off: cluster.view.enabled=false\",\"status\":404}");
            assertThat(server.sidecar().metrics().scrape()).contains("guardian_cluster_view_age_seconds NaN");
            assertThat(server.sidecar().clusterView().streamsState()).isEmpty();
        }
    }

    @Test
    void aHeartbeatCarriesWhatThePassFound() throws Exception {
        Map<String, Object> config = base();
        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(config)), new GuardianMetrics(),
                Clock.systemUTC());
        try {
            sidecar.runPass();
            StatusReport report = sidecar.status().orElseThrow();
            Instant started = Instant.parse("2026-11-30T09:00:00Z");
            Heartbeat h = Heartbeats.of(sidecar.facts().orElseThrow(), StatusReport.version(), started, 4,
                    Instant.parse("2026-11-30T10:00:00Z"), Duration.ofSeconds(10)).orElseThrow();
            assertThat(h.brokerId()).isEqualTo(5);
            assertThat(h.host()).isEqualTo("test-host");
            assertThat(h.brokerState()).isEqualTo(report.observation().brokerState().name());
            assertThat(h.lastPass()).isEqualTo(report.observation().time());
            assertThat(h.sequence()).isEqualTo(4);
            assertThat(h.startedAt()).isEqualTo(started);
            assertThat(h.intervalMs()).isEqualTo(10_000);
            assertThat(h.guardianVersion()).isEqualTo(StatusReport.version());
            assertThat(h.filesystems()).hasSize(1).first().satisfies(d -> {
                var fs = report.observation().filesystems().get(0);
                var guard = report.recovery().filesystems().get(0);
                assertThat(d.mount()).isEqualTo(fs.mount());
                assertThat(d.logDirs()).containsExactly(tmp.resolve("kafka-logs").toString());
                assertThat(d.pressure()).isEqualTo(report.watch().disks().get(0).pressure().level());
                assertThat(d.usableBytes()).isEqualTo(fs.usage().usableBytes());
                assertThat(d.recoveryNeedBytes()).isEqualTo(guard.need().totalBytes());
                assertThat(d.headroomBytes()).isEqualTo(guard.headroomBytes());
                assertThat(d.armedBallastBytes()).isEqualTo(guard.armedBallastBytes());
            });
        } finally {
            sidecar.close();
        }
    }

    @Test
    void theStreamsStateNeverGoesInsideALogDir() throws Exception {
        Map<String, Object> config = base();
        config.put(GuardianConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + Ports.free());
        config.put(GuardianConfig.STATE_DIR, tmp.resolve("kafka-logs").resolve("guardian").toString());
        // The settings refuse it before the view could put its Streams state there (exit 2).
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(config))).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("state.dir=" + tmp.resolve("kafka-logs/guardian") + " is inside the log dir "
                        + tmp.resolve("kafka-logs") + ".");
    }

    @Test
    void aSilenceTimeoutShorterThanTwoIntervalsIsRefused() {
        Map<String, Object> config = base();
        config.put(GuardianConfig.SCAN_INTERVAL_MS, "10000");
        config.put(GuardianConfig.CLUSTER_SILENCE_TIMEOUT_MS, "15000");
        assertThatThrownBy(() -> DetectorSettings.from(GuardianConfig.of(config)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("cluster.silence.timeout.ms=15000 is shorter than two scan intervals (20000 ms): a sidecar "
                        + "would be SILENT before it could be SUSPECT. Use 0 (three intervals, at least 30 s) or a value "
                        + "of at least 20000.");
        config.put(GuardianConfig.CLUSTER_SILENCE_TIMEOUT_MS, "0");
        assertThat(DetectorSettings.from(GuardianConfig.of(config)).silenceTimeout()).isEqualTo(Duration.ofSeconds(30));
        config.put(GuardianConfig.SCAN_INTERVAL_MS, "60000");
        assertThat(DetectorSettings.from(GuardianConfig.of(config)).silenceTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void anAdvertisedAddressOtherSidecarsCannotUseIsABadConfiguration() {
        Map<String, Object> config = base();
        config.put(GuardianConfig.CLUSTER_VIEW_ADVERTISED_ADDRESS, "sidecar-7");
        assertThatThrownBy(() -> GuardianConfig.of(config)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sidecar-7").hasMessageContaining("cluster.view.advertised.address");
        config.put(GuardianConfig.CLUSTER_VIEW_ADVERTISED_ADDRESS, "sidecar-7:0");
        assertThatThrownBy(() -> GuardianConfig.of(config)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("the port must be the one other sidecars connect to, not 0");
        config.put(GuardianConfig.CLUSTER_VIEW_ADVERTISED_ADDRESS, "sidecar-7.example.com:9797");
        assertThat(GuardianConfig.of(config).getString(GuardianConfig.CLUSTER_VIEW_ADVERTISED_ADDRESS))
                .isEqualTo("sidecar-7.example.com:9797");
    }

    private Map<String, Object> base() {
        Path logDir = tmp.resolve("kafka-logs");
        try {
            Files.createDirectories(logDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> config = new HashMap<>();
        config.put(GuardianConfig.LOG_DIRS, logDir.toString());
        config.put(GuardianConfig.NODE_ID, "5");
        config.put(GuardianConfig.HOST_NAME, "test-host");
        config.put(GuardianConfig.HTTP_LISTEN, "127.0.0.1:0");
        config.put(GuardianConfig.SCAN_INTERVAL_MS, "1000");
        config.put(GuardianConfig.ADMIN_TIMEOUT_MS, "1000");
        config.put(GuardianConfig.STATE_DIR, tmp.resolve("state").toString());
        return config;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
