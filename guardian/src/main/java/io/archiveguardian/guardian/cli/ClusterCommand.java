package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.clusterview.ClusterText;
import io.archiveguardian.guardian.clusterview.ClusterView;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.HostPort;
import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Prints the cluster view a running sidecar answers (GET /api/v1/cluster).",
                "Every broker's sidecar (alive, suspect, silent), pressure, space and ballast, cluster "
                        + "totals, and the partitions whose every replica sits on a pressured disk.",
                "Exit code 3 when a sidecar is silent, the view is suspect or stale, or a partition has "
                        + "every replica under pressure; 1 when the sidecar cannot answer."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--sidecar", paramLabel = "URL",
            description = "The sidecar to ask, e.g. http://127.0.0.1:9797 (default: http.listen of --config, "
                    + "else " + GuardianConfig.DEFAULT_HTTP_LISTEN + ").")
    String sidecar;

    @Option(names = "--config", paramLabel = "FILE", description = "The guardian's properties file, for http.listen.")
    java.nio.file.Path config;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String base = baseUrl();
        HttpResponse<String> r;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cluster")).timeout(Duration.ofSeconds(15))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot reach the sidecar at " + base + ": " + e
                    + ". Is 'guardian run' running there? Give its address with --sidecar.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardianException(ExitCodes.FAILED, "interrupted", e);
        }
        if (r.statusCode() != 200) {
            String retry = r.headers().firstValue("Retry-After").map(s -> "; retry in " + s + " s").orElse("");
            throw new GuardianException(ExitCodes.FAILED, "the sidecar at " + base + " has no cluster view to show (HTTP "
                    + r.statusCode() + "): " + error(r.body()) + retry);
        }
        ClusterView view;
        try {
            view = Json.MAPPER.copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(r.body(), ClusterView.class);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "the sidecar at " + base + " answered something that is not a "
                    + "cluster view: " + e.getMessage(), e);
        }
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.writePretty(view));
        } else {
            out.print(ClusterText.render(view));
        }
        out.flush();
        return ClusterText.problem(view) ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    private String baseUrl() {
        if (sidecar != null) {
            String s = sidecar.trim();
            if (!s.startsWith("http://") && !s.startsWith("https://")) {
                throw new GuardianException(ExitCodes.USAGE, "--sidecar " + sidecar
                        + " is not a URL: give http://HOST:PORT, e.g. http://127.0.0.1:9797.");
            }
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        String listen = GuardianConfig.DEFAULT_HTTP_LISTEN;
        boolean tls = false;
        if (config != null) {
            GuardianConfig loaded = GuardianConfig.load(config, Map.of());
            listen = loaded.getString(GuardianConfig.HTTP_LISTEN);
            // the sidecar speaks HTTPS only (its certificate must be trusted: GUARDIAN_OPTS=-Djavax.net.ssl.trustStore=...)
            tls = !loaded.getString(GuardianConfig.HTTP_TLS_KEYSTORE_PATH).isBlank();
        }
        HostPort hp = HostPort.parse(GuardianConfig.HTTP_LISTEN, listen);
        String host = hp.host().equals("0.0.0.0") || hp.host().isEmpty() ? "127.0.0.1"
                : hp.host().equals("::") ? "[::1]" : hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host();
        return (tls ? "https://" : "http://") + host + ":" + hp.port();
    }

    private static String error(String body) {
        try {
            var node = Json.MAPPER.readTree(body);
            return node.has("error") ? node.get("error").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }
}
