package io.archiveguardian.guardian.clusterview;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.HostPort;
import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a running sidecar for its cluster view ({@code GET /api/v1/cluster}): what {@code guardian
 * cluster} prints and what the commands that plan a drop on a host ({@code drop}, {@code
 * drop-candidates}, prestart's plan) take their silent sidecars and pressure levels from, so that
 * the rules the sidecar's advice follows also hold where data is deleted.
 */
public final class ClusterViewClient {

    private static final ObjectReader READER = Json.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readerFor(ClusterView.class);

    private final String baseUrl;
    private final Duration timeout;

    /**
     * @param baseUrl the sidecar, e.g. {@code http://127.0.0.1:9797}
     * @param timeout the whole call: connect, and the answer (which may be forwarded to another sidecar)
     */
    public ClusterViewClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The URL of this host's sidecar from its {@code http.listen} (a wildcard address is asked on
     * loopback), {@code https} when {@code http.tls.keystore.path} is set.
     */
    public static String localSidecar(GuardianConfig config) {
        String listen = config == null ? GuardianConfig.DEFAULT_HTTP_LISTEN : config.getString(GuardianConfig.HTTP_LISTEN);
        boolean tls = config != null && !config.getString(GuardianConfig.HTTP_TLS_KEYSTORE_PATH).isBlank();
        HostPort hp = HostPort.parse(GuardianConfig.HTTP_LISTEN, listen);
        String host = hp.host().equals("0.0.0.0") || hp.host().isEmpty() ? "127.0.0.1"
                : hp.host().equals("::") ? "[::1]" : hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host();
        return (tls ? "https://" : "http://") + host + ":" + hp.port();
    }

    /** The view, or {@link ViewUnavailableException} saying why not (no sidecar there, no view yet, not a view). */
    public ClusterView fetch() {
        HttpResponse<String> r;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/cluster")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new ViewUnavailableException("cannot reach the sidecar at " + baseUrl + ": " + why(e), e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewUnavailableException("interrupted while asking the sidecar at " + baseUrl, e, true);
        }
        if (r.statusCode() != 200) {
            String retry = r.headers().firstValue("Retry-After").map(s -> "; retry in " + s + " s").orElse("");
            throw new ViewUnavailableException("the sidecar at " + baseUrl + " has no cluster view to show (HTTP "
                    + r.statusCode() + "): " + error(r.body()) + retry, null, false);
        }
        try {
            return READER.readValue(r.body());
        } catch (IOException e) {
            throw new ViewUnavailableException("the sidecar at " + baseUrl + " answered something that is not a "
                    + "cluster view: " + e.getMessage(), e, false);
        }
    }

    private String why(Exception e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused, nothing listens there";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String error(String body) {
        try {
            var node = Json.MAPPER.readTree(body);
            return node.has("error") ? node.get("error").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    /** No view from that sidecar; the message says why. */
    public static final class ViewUnavailableException extends RuntimeException {
        private final boolean unreachable;

        public ViewUnavailableException(String message, Throwable cause, boolean unreachable) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        /** True when nothing answered there (no sidecar runs at that address); false when it answered without a view. */
        public boolean unreachable() {
            return unreachable;
        }
    }
}
