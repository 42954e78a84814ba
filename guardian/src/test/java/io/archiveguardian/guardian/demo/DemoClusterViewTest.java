package io.archiveguardian.guardian.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guardian demo} shows its one-broker cluster view: API, {@code guardian cluster}, status page. */
@Tag("broker")
class DemoClusterViewTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoShowsItsOneBrokerClusterViewThroughTheApiTheCliAndTheStatusPage() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Demo demo = Demo.start(tmp.resolve("demo"), "127.0.0.1:0");
        String base = demo.sidecar().baseUrl();
        try {
            assertThat(demo.banner()).contains("Cluster view   " + base + "/api/v1/cluster  (or: guardian cluster --sidecar "
                    + base + ")");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cluster")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode view = Json.MAPPER.readTree(r.body());
                assertThat(view.get("brokers")).hasSize(1);
                assertThat(view.get("brokers").get(0).get("state").asText()).isEqualTo("alive");
            });

            JsonNode summary = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/cluster?summary=true")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(summary.get("totals").get("alive").asInt()).isEqualTo(1);
            assertThat(summary.get("brokers")).as("the summary leaves out brokers whose sidecar is alive").isEmpty();

            CliRun text = CliRun.of("cluster", "--sidecar", base);
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("brokers   1: 1 alive, 0 suspect, 0 silent")
                    .containsPattern("(?m)^BROKER +HOST +SIDECAR +PRESSURE")
                    .containsPattern("(?m)^\\d+ +\\S+ +alive ")
                    .contains("No partition has every replica on a disk at high or critical pressure.");

            CliRun json = CliRun.of("cluster", "--sidecar", base + "/", "--output", "json");
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode view = Json.MAPPER.readTree(json.out());
            assertThat(view.get("totals").get("alive").asInt()).isEqualTo(1);
            assertThat(view.get("answered_by").asText()).isEqualTo(base.substring("http://".length()));
            assertThat(view.get("stale").asBoolean()).isFalse();

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("<h2>Cluster</h2>", "1 broker: <b>1 alive</b>, 0 suspect, <b>0 silent</b>"));
            assertThat(demo.sidecar().sidecar().metrics().scrape())
                    .contains("guardian_cluster_brokers{state=\"alive\"} 1.0")
                    .contains("guardian_cluster_brokers{state=\"silent\"} 0.0")
                    .containsPattern("guardian_cluster_view_age_seconds \\d");

            var facts = io.archiveguardian.guardian.drop.observe.DropFacts.of(
                    demo.sidecar().sidecar().clusterView().viewForDrop().orElseThrow());
            assertThat(facts.silentSidecars()).isEmpty();
            assertThat(facts.pressures()).containsKey(new io.archiveguardian.guardian.drop.DiskRef(
                    view.get("brokers").get(0).get("broker_id").asInt(), demo.broker().logDir().toString()));

            CliRun bad = CliRun.of("cluster", "--sidecar", "127.0.0.1:9797");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err()).contains("--sidecar 127.0.0.1:9797 is not a URL: give http://HOST:PORT, e.g. http://127.0.0.1:9797.");
        } finally {
            demo.close();
        }
        CliRun gone = CliRun.of("cluster", "--sidecar", base);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("cannot reach the sidecar at " + base);
    }
}
