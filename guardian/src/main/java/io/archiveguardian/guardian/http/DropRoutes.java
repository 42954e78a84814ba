package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.render.DropJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/drop-candidates?logdir=DIR&need=20G}: every replica on the log dir (default:
 * all of this broker's) with its verdict and reason, and the ranked plan to free {@code need}
 * (default 0: verdicts only). Read-only. Served from the sidecar's last drop-candidates refresh
 * (every {@code drop.candidates.interval.ms}), never by asking the cluster while the client waits;
 * {@code observedAt} in the answer says how old it is. Only this broker's log dirs are accepted.
 * {@code ?for_start=true}: while the broker is down, the plan for its next start (see {@link #forStart}).
 */
final class DropRoutes {

    static final Set<String> PARAMETERS = Set.of("need", "logdir", "for_start");

    private DropRoutes() {
    }

    static void register(HttpApi api, SidecarView sidecar) {
        api.route("/api/v1/drop-candidates", "GET", false, PARAMETERS, q -> {
            long need;
            try {
                need = Sizes.parse(q.param("need").orElse("0"));
            } catch (IllegalArgumentException e) {
                throw new GuardianException(ExitCodes.USAGE, "need=" + q.param("need").orElse("") + ": " + e.getMessage());
            }
            List<Path> own = sidecar.settings().logDirs();
            List<Path> logDirs = own;
            Optional<String> logDir = q.param("logdir");
            if (logDir.isPresent()) {
                Path asked = Path.of(logDir.get()).normalize();
                if (!own.contains(asked)) {
                    throw new GuardianException(ExitCodes.USAGE, "logdir=" + logDir.get() + " is not one of this "
                            + "broker's log dirs " + own + ".");
                }
                logDirs = List.of(asked);
            }
            if (q.flag("for_start")) {
                return forStart(sidecar, q);
            }
            Optional<DropCandidates> c = sidecar.dropCandidates().fromCache(logDirs, need);
            if (c.isEmpty()) {
                return ApiError.response(503, "no drop candidates computed yet (" + sidecar.cluster().problem()
                        + "); the sidecar refreshes them every drop.candidates.interval.ms", List.of());
            }
            return HttpApi.Response.json(200, DropJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(DropJson.candidates(c.get())));
        });
    }

    /**
     * {@code for_start=true}: while the broker is down and its next start does not fit, the plan
     * prestart would print, priced with both effects (saved at the start, freed on disk). 409 while
     * there is no such start to plan. The command to carry it out is printed on the host by
     * {@code guardian drop-candidates --for-start} (or prestart), with that host's options.
     */
    private static HttpApi.Response forStart(SidecarView sidecar, ApiRequest q) throws Exception {
        if (q.query().containsKey("need") || q.query().containsKey("logdir")) {
            throw new GuardianException(ExitCodes.USAGE, "for_start=true plans against the next start's own need over all "
                    + "of this broker's log dirs: leave out need and logdir");
        }
        Optional<DropCandidates> c = sidecar.dropCandidates().forStart();
        if (c.isEmpty()) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "no plan for the next start: the broker runs, its next "
                    + "start fits, or the cluster has not answered yet (" + sidecar.cluster().problem() + ")");
        }
        return HttpApi.Response.json(200, DropJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(DropJson.candidates(c.get())));
    }
}
