package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.render.DropJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/drop-candidates?logdir=DIR&need=20G}: every replica on the log dir (default:
 * all of this broker's) with its verdict and reason, and the ranked plan to free {@code need}
 * (default 0: verdicts only). Read-only. Served from the sidecar's last drop-candidates refresh
 * (every {@code drop.candidates.interval.ms}), never by asking the cluster while the client waits;
 * {@code observedAt} in the answer says how old it is. Only this broker's log dirs are accepted.
 */
final class DropRoutes {

    private DropRoutes() {
    }

    static void register(HttpApi api, SidecarView sidecar) {
        api.route("/api/v1/drop-candidates", "GET", false, ex -> {
            Map<String, String> q = BallastRoutes.query(ex.getRequestURI().getRawQuery());
            long need;
            try {
                need = Sizes.parse(q.getOrDefault("need", "0"));
            } catch (IllegalArgumentException e) {
                throw new GuardianException(ExitCodes.USAGE, "need=" + q.get("need") + ": " + e.getMessage());
            }
            List<Path> own = sidecar.settings().logDirs();
            List<Path> logDirs = own;
            if (q.containsKey("logdir")) {
                Path asked = Path.of(q.get("logdir")).normalize();
                if (!own.contains(asked)) {
                    throw new GuardianException(ExitCodes.USAGE, "logdir=" + q.get("logdir") + " is not one of this "
                            + "broker's log dirs " + own + ".");
                }
                logDirs = List.of(asked);
            }
            Optional<DropCandidates> c = sidecar.dropCandidates().fromCache(logDirs, need);
            if (c.isEmpty()) {
                return HttpApi.Response.json(503, "{\"error\":" + Json.write("no drop candidates computed yet ("
                        + sidecar.cluster().problem() + "); the sidecar refreshes them every drop.candidates.interval.ms")
                        + "}");
            }
            return HttpApi.Response.json(200, DropJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(DropJson.candidates(c.get())));
        });
    }
}
