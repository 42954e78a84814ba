package io.archiveguardian.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A real Prometheus (Debian's `prometheus`) with the given configuration, and its HTTP API. */
final class Prometheus implements AutoCloseable {

    private final ServerProcess server;

    private Prometheus(ServerProcess server) {
        this.server = server;
    }

    static Prometheus start(Path dir, String config) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("prometheus.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = Ports.free();
        return new Prometheus(ServerProcess.start("prometheus", dir, port, List.of(Programs.PROMETHEUS,
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--rules.alert.resend-delay=1s",
                "--log.level=info")));
    }

    /** An instant query; fails on an error status. */
    JsonNode query(String promql) {
        return ok(promql, server.getJson("/api/v1/query?query=" + ServerProcess.encode(promql)));
    }

    /** The raw answer of a range query (status, errorType, error, data). */
    JsonNode queryRangeRaw(String promql, Instant start, Instant end, int stepSeconds) {
        return server.getJson("/api/v1/query_range?query=" + ServerProcess.encode(promql)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + stepSeconds);
    }

    /** Series matching a selector over the time range (what Grafana's label_values() asks). */
    JsonNode series(String selector, Instant start, Instant end) {
        return ok(selector, server.getJson("/api/v1/series?match[]=" + ServerProcess.encode(selector)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond()));
    }

    /** Value of the single series the instant query returns, or null when it returns none. */
    Double value(String promql) {
        JsonNode result = query(promql).path("data").path("result");
        if (result.isEmpty()) {
            return null;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Alerts that are pending or firing now. */
    List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        ok("alerts", server.getJson("/api/v1/alerts")).path("data").path("alerts").forEach(alerts::add);
        return alerts;
    }

    List<JsonNode> alerts(String name) {
        return alerts().stream().filter(a -> a.path("labels").path("alertname").asText().equals(name)).toList();
    }

    List<JsonNode> firing(String name) {
        return alerts(name).stream().filter(a -> a.path("state").asText().equals("firing")).toList();
    }

    String log() {
        return server.log();
    }

    private static JsonNode ok(String what, JsonNode answer) {
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus answered " + answer + " to " + what);
        }
        return answer;
    }

    String hostPort() {
        return server.hostPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
