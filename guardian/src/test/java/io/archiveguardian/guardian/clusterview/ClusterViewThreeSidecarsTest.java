package io.archiveguardian.guardian.clusterview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-broker cluster (KafkaClusterTestKit) with three real sidecars, each with its own HTTP
 * server and Kafka Streams instance: the view answers everywhere, forwards to the owner, convicts a
 * stopped sidecar and takes it back when it returns.
 */
@Tag("broker")
class ClusterViewThreeSidecarsTest {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(6);
    /** A stopped Streams member leaves the group; the rest rebalance and restore before they watch again. */
    static final Duration REBALANCE_ALLOWANCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everySidecarAnswersForwardsConvictsTheStoppedOneAndTakesItBack() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3)) {
            Map<Integer, SidecarServer> sidecars = new HashMap<>();
            try {
                for (int id : cluster.brokerIds()) {
                    sidecars.put(id, SidecarServer.start(settings(cluster, id)));
                }

                // Every sidecar's /api/v1/cluster lists all three brokers, alive.
                for (SidecarServer s : sidecars.values()) {
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        JsonNode view = getJson(s.baseUrl() + "/api/v1/cluster", Map.of());
                        assertThat(brokerStates(view)).containsExactly(
                                Map.entry(0, "alive"), Map.entry(1, "alive"), Map.entry(2, "alive"));
                    });
                }

                // An archive partition on every broker, two in-sync copies needed: broker 0's replica is
                // safe to drop while the copies on brokers 1 and 2 count.
                try (org.apache.kafka.clients.admin.Admin admin = cluster.admin()) {
                    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("archive", 1, (short) 3)
                            .configs(Map.of("min.insync.replicas", "2")))).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
                SidecarServer planner = sidecars.get(0);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(archiveVerdict(planner).get("safe").asBoolean()).as(archiveVerdict(planner).toString()).isTrue());

                // A per-broker query on any sidecar reaches the one owner; two of three asked the wrong one.
                Map<Integer, String> owners = new HashMap<>();
                for (int broker : cluster.brokerIds()) {
                    Set<String> answeredBy = new TreeSet<>();
                    List<String> forwardedFrom = new ArrayList<>();
                    for (SidecarServer s : sidecars.values()) {
                        JsonNode b = awaitJson(s.baseUrl() + "/api/v1/cluster/brokers/" + broker);
                        assertThat(b.get("broker_id").asInt()).isEqualTo(broker);
                        assertThat(b.get("heartbeat").get("broker_id").asInt()).isEqualTo(broker);
                        assertThat(b.get("stale").asBoolean()).isFalse();
                        String owner = b.get("answered_by").asText();
                        answeredBy.add(owner);
                        if (!s.baseUrl().endsWith("//" + owner)) {
                            forwardedFrom.add(s.baseUrl());
                        }
                    }
                    assertThat(answeredBy).as("one owner of broker %d's key", broker).hasSize(1);
                    owners.put(broker, answeredBy.iterator().next());
                    assertThat(forwardedFrom).as("asked on instances that do not own broker %d", broker).hasSize(2);
                }

                // A query that was already forwarded once is not forwarded again.
                for (SidecarServer s : sidecars.values()) {
                    HttpResponse<String> r = get(s.baseUrl() + "/api/v1/cluster/brokers/0",
                            Map.of(ClusterQueries.HOP_HEADER, "test"));
                    if (r.statusCode() == 200) {
                        JsonNode b = Json.MAPPER.readTree(r.body());
                        assertThat(s.baseUrl()).endsWith("//" + b.get("answered_by").asText());
                        boolean owner = s.baseUrl().endsWith("//" + owners.get(0));
                        assertThat(b.get("stale").asBoolean()).as("not the owner: a standby's copy, marked stale")
                                .isEqualTo(!owner);
                    } else {
                        assertThat(r.statusCode()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    }
                }

                // Stop sidecar 2: SILENT within the silence timeout (plus the rebalance it causes).
                // Its heartbeats stop when close() begins (the cluster view closes first); watch meanwhile,
                // since the rest of Sidecar.close() may take a while.
                SidecarServer stopping = sidecars.remove(2);
                long stopped = System.nanoTime();
                java.util.concurrent.CompletableFuture<Void> closing =
                        java.util.concurrent.CompletableFuture.runAsync(stopping::close);
                SidecarServer observer = sidecars.get(0);
                await().atMost(SILENCE_TIMEOUT.plus(REBALANCE_ALLOWANCE)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertThat(brokerStates(getJson(observer.baseUrl() + "/api/v1/cluster",
                                Map.of()))).containsEntry(2, "silent").containsEntry(0, "alive").containsEntry(1, "alive"));
                Duration toSilent = Duration.ofNanos(System.nanoTime() - stopped);
                System.out.printf("cluster view: stopped sidecar SILENT after %d ms (timeout %d ms)%n",
                        toSilent.toMillis(), SILENCE_TIMEOUT.toMillis());
                assertThat(toSilent).isGreaterThanOrEqualTo(SILENCE_TIMEOUT.minus(INTERVAL));
                // The drop planner uses the view: broker 2's copy no longer counts, and the verdict says why.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    JsonNode verdict = archiveVerdict(observer);
                    assertThat(verdict.get("safe").asBoolean()).as(verdict.toString()).isFalse();
                    assertThat(verdict.get("reason").asText()).contains("the sidecar of broker 2 is silent in the cluster view");
                });
                // Where data is deleted the same rule holds: the CLI on broker 0's host asks its sidecar
                // (http.listen of its config) for the view. drop-candidates and drop's plan (the plan
                // --execute carries out and re-checks under .lock) both refuse to rely on broker 2's copy.
                Path hostConfig = hostConfig(cluster, 0, observer);
                JsonNode cli = cliJson("drop-candidates", "--config", hostConfig.toString(), "--need", "1", "--output", "json");
                assertThat(cli.at("/cluster_view/state").asText()).as(cli.toString()).isEqualTo("fresh");
                JsonNode cliVerdict = archiveReplica(cli);
                assertThat(cliVerdict.get("safe").asBoolean()).as(cliVerdict.toString()).isFalse();
                assertThat(cliVerdict.get("reason").asText()).contains("the sidecar of broker 2 is silent in the cluster view");
                CliRun plan = CliRun.of("drop", "--config", hostConfig.toString(), "--partition", "archive-0");
                assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(3);
                assertThat(plan.err()).contains("archive-0").contains("the sidecar of broker 2 is silent in the cluster view")
                        .contains("Nothing was changed");
                // Without the view (--sidecar none) Kafka alone still counts broker 2's in-sync copy.
                JsonNode blind = cliJson("drop-candidates", "--config", hostConfig.toString(), "--need", "1", "--output", "json",
                        "--sidecar", "none");
                assertThat(blind.at("/cluster_view/state").asText()).isEqualTo("none");
                assertThat(archiveReplica(blind).get("safe").asBoolean()).as(blind.toString()).isTrue();
                CliRun blindPlan = CliRun.of("drop", "--config", hostConfig.toString(), "--partition", "archive-0",
                        "--sidecar", "none");
                assertThat(blindPlan.exitCode()).as(blindPlan.out() + blindPlan.err()).isZero();
                assertThat(blindPlan.out()).contains("archive-0").contains("no cluster view was consulted");
                closing.get(2, java.util.concurrent.TimeUnit.MINUTES);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(observer.sidecar().metrics().scrape()).contains("guardian_cluster_brokers{state=\"silent\"} 1.0"));

                // Restart it: alive again, everywhere.
                sidecars.put(2, SidecarServer.start(settings(cluster, 2)));
                for (SidecarServer s : sidecars.values()) {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                            assertThat(brokerStates(getJson(s.baseUrl() + "/api/v1/cluster", Map.of())))
                                    .containsEntry(2, "alive"));
                }
            } finally {
                sidecars.values().forEach(SidecarServer::close);
            }
        }
    }

    private GuardianSettings settings(InProcessCluster cluster, int id) {
        Map<String, Object> config = new HashMap<>();
        config.put(GuardianConfig.LOG_DIRS, String.join(",", cluster.logDirs(id).stream().map(Path::toString).toList()));
        config.put(GuardianConfig.NODE_ID, Integer.toString(id));
        config.put(GuardianConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        config.put(GuardianConfig.HTTP_LISTEN, "127.0.0.1:0");
        config.put(GuardianConfig.SCAN_INTERVAL_MS, Long.toString(INTERVAL.toMillis()));
        config.put(GuardianConfig.CLUSTER_SILENCE_TIMEOUT_MS, Long.toString(SILENCE_TIMEOUT.toMillis()));
        config.put(GuardianConfig.STATE_DIR, tmp.resolve("state-" + id).toString());
        config.put(GuardianConfig.DROP_CANDIDATES_INTERVAL_MS, "10000");
        return SettingsResolver.resolve(GuardianConfig.of(config));
    }

    /** The guardian's properties file on broker {@code id}'s host, whose http.listen is its sidecar's. */
    private Path hostConfig(InProcessCluster cluster, int id, SidecarServer sidecar) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(GuardianConfig.LOG_DIRS, String.join(",", cluster.logDirs(id).stream().map(Path::toString).toList()));
        p.setProperty(GuardianConfig.NODE_ID, Integer.toString(id));
        p.setProperty(GuardianConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        p.setProperty(GuardianConfig.HTTP_LISTEN, sidecar.baseUrl().substring("http://".length()));
        p.setProperty(GuardianConfig.STATE_DIR, tmp.resolve("state-" + id).toString());
        Path file = tmp.resolve("guardian-" + id + ".properties");
        try (var w = java.nio.file.Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private static JsonNode cliJson(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return Json.MAPPER.readTree(run.out());
    }

    private static JsonNode archiveReplica(JsonNode candidates) {
        for (JsonNode r : candidates.get("replicas")) {
            if ("archive".equals(r.get("topic").asText()) && r.get("partition").asInt() == 0) {
                return r;
            }
        }
        throw new AssertionError("no archive-0 replica in " + candidates);
    }

    /** Broker 0's replica of archive-0 as its sidecar's /api/v1/drop-candidates judges it. */
    private JsonNode archiveVerdict(SidecarServer sidecar) throws Exception {
        return archiveReplica(getJson(sidecar.baseUrl() + "/api/v1/drop-candidates", Map.of()));
    }

    private static Map<Integer, String> brokerStates(JsonNode view) {
        Map<Integer, String> states = new java.util.TreeMap<>();
        view.get("brokers").forEach(b -> states.put(b.get("broker_id").asInt(), b.get("state").asText()));
        return states;
    }

    private JsonNode awaitJson(String url) {
        JsonNode[] out = new JsonNode[1];
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> out[0] = getJson(url, Map.of()));
        return out[0];
    }

    private JsonNode getJson(String url, Map<String, String> headers) throws Exception {
        HttpResponse<String> r = get(url, headers);
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
