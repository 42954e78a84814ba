package io.archiveguardian.guardian.http;

import com.sun.net.httpserver.HttpExchange;
import io.archiveguardian.guardian.clusterview.ClusterQueries;
import io.archiveguardian.guardian.clusterview.QueryAnswer;
import io.archiveguardian.guardian.json.Json;
import java.util.Map;

/**
 * {@code GET /api/v1/cluster[?summary=true]} and {@code GET /api/v1/cluster/brokers/{id}}: the cluster view, from
 * any sidecar. A 503 carries {@code Retry-After}; a query forwarded by another sidecar carries
 * {@link ClusterQueries#HOP_HEADER} and is answered here, never forwarded again.
 */
final class ClusterRoutes {

    static final String PREFIX = "/api/v1/cluster";
    private static final String BROKERS = PREFIX + "/brokers/";

    private ClusterRoutes() {
    }

    static void register(HttpApi api, SidecarView sidecar) {
        api.route(PREFIX, "GET", false, ex -> answer(ex, sidecar.clusterView()));
    }

    private static HttpApi.Response answer(HttpExchange ex, ClusterQueries view) {
        String path = ex.getRequestURI().getPath();
        boolean forwarded = ex.getRequestHeaders().containsKey(ClusterQueries.HOP_HEADER);
        QueryAnswer a;
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            boolean summary = "summary=true".equals(ex.getRequestURI().getRawQuery());
            a = summary ? view.clusterSummary(forwarded) : view.cluster(forwarded);
        } else if (path.startsWith(BROKERS) && path.length() > BROKERS.length()
                && !path.substring(BROKERS.length()).contains("/")) {
            a = view.broker(path.substring(BROKERS.length()), forwarded);
        } else {
            a = new QueryAnswer(404, null, Json.write(Map.of("error", "not found: " + path
                    + "; use " + PREFIX + " or " + BROKERS + "{id}")));
        }
        if (a.retryAfterSeconds() != null) {
            ex.getResponseHeaders().set("Retry-After", Integer.toString(a.retryAfterSeconds()));
        }
        return HttpApi.Response.json(a.status(), a.json());
    }
}
