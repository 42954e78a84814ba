package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SidecarTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.tmpfs(32 * SmallFilesystemExtension.MIB);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsOfTheFilesystemUnderALogDirAgreeWithDf() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        Files.write(logDir.resolve("00000000000000000000.log"), new byte[3 * 1024 * 1024]);
        try (SidecarServer server = SidecarServer.start(settings(logDir, Map.of()))) {
            server.sidecar().runPass();
            String metrics = get(server.baseUrl() + "/metrics").body();
            String[] df = Commands.check("df", "-B1", "--output=size,used,avail", logDir.toString()).trim().split("\n")[1].trim().split("\\s+");
            long size = Long.parseLong(df[0]);
            long used = Long.parseLong(df[1]);
            long avail = Long.parseLong(df[2]);
            String labels = "device=\"tmpfs\",mount=\"" + disk.root() + "\"";
            assertThat(gauge(metrics, "guardian_disk_total_bytes", labels)).isEqualTo(size);
            assertThat(gauge(metrics, "guardian_disk_free_bytes", labels)).isEqualTo(size - used);
            assertThat(gauge(metrics, "guardian_disk_usable_bytes", labels)).isEqualTo(avail);
            assertThat(metrics).contains("guardian_logdir_online{logdir=\"" + logDir + "\"} 1.0")
                    .contains("guardian_broker_state{state=\"NOT_FORMATTED\"} 1.0");
        }
    }

    @Test
    void healthReadinessStatusAndPageAreServed() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        try (SidecarServer server = SidecarServer.start(settings(logDir, Map.of()))) {
            server.sidecar().runPass();
            assertThat(get(server.baseUrl() + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(server.baseUrl() + "/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> status = get(server.baseUrl() + "/api/v1/status");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(status.body()).contains("\"mount\" : \"" + disk.root() + "\"");
            HttpResponse<String> page = get(server.baseUrl() + "/");
            assertThat(page.body()).contains("<div id=\"disks\">").contains(disk.root().toString());
            assertThat(get(server.baseUrl() + "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aLogDirThatVanishesIsReportedOfflineAndRaisesAnEvent() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        try (SidecarServer server = SidecarServer.start(settings(logDir, Map.of()))) {
            Observation first = server.sidecar().runPass();
            assertThat(first.logDirs().get(0).online()).isTrue();
            Files.delete(logDir);
            Observation second = server.sidecar().runPass();
            assertThat(second.logDirs().get(0).online()).isFalse();
            assertThat(second.logDirs().get(0).error()).contains("NoSuchFileException");
            assertThat(server.sidecar().events().recent()).extracting(StateChangeEvent::subject, StateChangeEvent::previousState,
                    StateChangeEvent::state).contains(org.assertj.core.groups.Tuple.tuple("logdir:" + logDir, "ONLINE", "OFFLINE"));
        }
    }

    @Test
    void stateChangingRoutesNeedTheBearerToken() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        try (SidecarServer server = SidecarServer.start(settings(logDir, Map.of("http.token", "s3cret")))) {
            server.http().route("/api/v1/test-action", "POST", true,
                    ex -> io.archiveguardian.guardian.http.HttpApi.Response.json(200, "{\"done\":true}"));
            URI uri = URI.create(server.baseUrl() + "/api/v1/test-action");
            HttpRequest noToken = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpRequest wrong = HttpRequest.newBuilder(uri).header("Authorization", "Bearer nope")
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpRequest right = HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            assertThat(http.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(right, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"done\":true}");
        }
    }

    private static GuardianSettings settings(Path logDir, Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0",
                "scan.interval.ms", "60000"));
        values.putAll(extra);
        return SettingsResolver.resolve(GuardianConfig.of(values));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static long gauge(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as(name + "{" + labels + "} in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
