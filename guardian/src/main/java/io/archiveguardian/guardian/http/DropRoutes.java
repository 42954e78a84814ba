package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.replicas.ByteSize;
import io.archiveguardian.guardian.replicas.DropCandidates;
import io.archiveguardian.guardian.replicas.DropJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code GET /api/v1/drop-candidates?logdir=DIR&need=20G}: every replica on the log dir (default:
 * all of this broker's) with its verdict and reason, and the ranked plan to free {@code need}
 * (default 0: verdicts only). Read-only, computed fresh from the cluster.
 */
final class DropRoutes {

    private DropRoutes() {
    }

    static void register(HttpApi api, SidecarView sidecar) {
        api.route("/api/v1/drop-candidates", "GET", false, ex -> {
            Map<String, String> q = BallastRoutes.query(ex.getRequestURI().getRawQuery());
            long need;
            try {
                need = ByteSize.parse(q.getOrDefault("need", "0"));
            } catch (IllegalArgumentException e) {
                throw new GuardianException(ExitCodes.USAGE, "need=" + q.get("need") + ": " + e.getMessage());
            }
            List<Path> logDirs = q.containsKey("logdir") ? List.of(Path.of(q.get("logdir"))) : sidecar.settings().logDirs();
            Admin admin = sidecar.cluster().admin().orElseThrow(() -> new GuardianException(ExitCodes.FAILED,
                    "no cluster configured: set bootstrap.servers (or --broker-config with listeners)"));
            DropCandidates c = sidecar.dropCandidates().candidates(admin, logDirs, need);
            return HttpApi.Response.json(200, DropJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(DropJson.candidates(c)));
        });
    }
}
