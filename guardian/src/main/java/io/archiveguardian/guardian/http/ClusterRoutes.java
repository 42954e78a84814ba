package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.clusterview.ClusterQueries;
import io.archiveguardian.guardian.clusterview.QueryAnswer;
import io.archiveguardian.guardian.json.Json;
import java.util.List;
import java.util.Set;

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
        api.route(PREFIX, "GET", false, Set.of("summary"), q -> answer(q, sidecar.clusterView()));
    }

    private static HttpApi.Response answer(ApiRequest q, ClusterQueries view) {
        String path = q.path();
        boolean forwarded = q.header(ClusterQueries.HOP_HEADER) != null;
        boolean summary = q.flag("summary");
        QueryAnswer a;
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            a = summary ? view.clusterSummary(forwarded) : view.cluster(forwarded);
        } else if (path.startsWith(BROKERS) && path.length() > BROKERS.length()
                && !path.substring(BROKERS.length()).contains("/")) {
            a = view.broker(path.substring(BROKERS.length()), forwarded);
        } else {
            return ApiError.response(404, "not found: " + path + "; use " + PREFIX + " or " + BROKERS + "{id}", List.of());
        }
        HttpApi.Response r = a.status() >= 400 ? error(a) : HttpApi.Response.json(a.status(), a.json());
        return a.retryAfterSeconds() == null ? r : r.withHeader("Retry-After", Integer.toString(a.retryAfterSeconds()));
    }

    /** The view's own error (or a forwarded one) in the API's one error shape, with its status. */
    private static HttpApi.Response error(QueryAnswer a) {
        String message;
        try {
            com.fasterxml.jackson.databind.JsonNode n = Json.MAPPER.readTree(a.json());
            message = n != null && n.path("error").isTextual() ? n.path("error").asText() : a.json();
        } catch (java.io.IOException | RuntimeException e) {
            message = String.valueOf(a.json());
        }
        return ApiError.response(a.status(), message, List.of());
    }
}
