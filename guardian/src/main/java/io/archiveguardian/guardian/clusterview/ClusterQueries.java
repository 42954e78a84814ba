package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.json.Json;
import java.util.Map;
import java.util.Optional;

/** What the HTTP API and the status page ask of the cluster view. Answers never hang. */
public interface ClusterQueries {

    /** The request header that marks a forwarded query; a forwarded query is never forwarded again. */
    String HOP_HEADER = "X-Guardian-Hop";

    /** {@code GET /api/v1/cluster}. */
    QueryAnswer cluster(boolean forwarded);

    /**
     * {@code GET /api/v1/cluster?summary=true}: the same without the brokers that are alive and without
     * filesystems, small whatever the cluster's size (what each sidecar fetches for its metrics).
     */
    default QueryAnswer clusterSummary(boolean forwarded) {
        return cluster(forwarded);
    }

    /** {@code GET /api/v1/cluster/brokers/{id}}. */
    QueryAnswer broker(String brokerId, boolean forwarded);

    /** The view as last fetched by this sidecar (refreshed every scan interval), for the status page. */
    Optional<ClusterView> cached();

    /** A view that is off: every query answers 404 saying why. */
    static ClusterQueries off(String why) {
        QueryAnswer answer = new QueryAnswer(404, null, Json.write(Map.of("error", "the cluster view is off: " + why)));
        return new ClusterQueries() {
            @Override
            public QueryAnswer cluster(boolean forwarded) {
                return answer;
            }

            @Override
            public QueryAnswer broker(String brokerId, boolean forwarded) {
                return answer;
            }

            @Override
            public Optional<ClusterView> cached() {
                return Optional.empty();
            }
        };
    }
}
