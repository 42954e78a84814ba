package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.ReleaseOrder;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/ballast/release?reason=TEXT[&logdir=DIR...|&all_disks=true][&tiers=N|&all=true]}:
 * the manual release over HTTP. It accepts exactly what {@code guardian ballast release} accepts:
 * both are checked by {@link ReleaseOrder}, worded here with the query's names. Needs the token.
 */
final class BallastRoutes {

    static final Set<String> PARAMETERS = Set.of("reason", "logdir", "all_disks", "tiers", "all");

    private BallastRoutes() {
    }

    static void register(HttpApi api, BallastDuty ballast) {
        api.route("/api/v1/ballast/release", "POST", true, PARAMETERS, request -> release(request, ballast));
    }

    private static HttpApi.Response release(ApiRequest q, BallastDuty ballast) {
        ReleaseOrder.Names names = ReleaseOrder.Names.HTTP;
        Optional<Integer> tiers = q.param("tiers").map(BallastRoutes::tiers);
        List<Path> logDirs = q.params("logdir").stream().map(BallastRoutes::logDir).distinct().toList();
        ReleaseOrder order = ReleaseOrder.of(tiers, q.flag("all"), logDirs, q.flag("all_disks"),
                q.param("reason").orElse(null), names);
        BallastService service = ballast.service();
        order.requireKnown(service.filesystems().stream().flatMap(f -> f.logDirs().stream()).toList(), BallastRoutes::samePath, names)
                .requireTarget(service.filesystems().stream().map(f -> f.logDir()).toList(), names);
        List<BallastService.Outcome<ReleaseResult>> results = ballast.release(order.logDirs(), order.request(), Trigger.MANUAL,
                order.reason() + " (HTTP)");
        List<Map<String, Object>> out = new ArrayList<>();
        for (BallastService.Outcome<ReleaseResult> r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("log_dir", r.filesystem().logDir().toString());
            row.put("released_tiers", r.result().releasedTiers());
            row.put("released_bytes", r.result().releasedBytes());
            row.put("usable_bytes_before", r.result().usableBefore());
            row.put("usable_bytes_after", r.result().usableAfter());
            out.add(row);
        }
        return HttpApi.Response.json(200, Json.writePretty(Map.of("released", out)));
    }

    private static boolean samePath(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static int tiers(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new GuardianException(ExitCodes.USAGE, "tiers=" + value + " is not a whole number; give tiers=N "
                    + "(N >= 1) or all=true.");
        }
    }

    /** Like {@code --logdir}: not empty, no comma (Kafka's separator), and absolute (the sidecar has no useful working dir). */
    private static Path logDir(String value) {
        if (value.isBlank()) {
            throw new GuardianException(ExitCodes.USAGE, "logdir= is empty; give the path of one of the broker's log dirs.");
        }
        if (value.contains(",")) {
            throw new GuardianException(ExitCodes.USAGE, "logdir=" + value + ": a log dir path cannot contain a comma; "
                    + "repeat logdir= for several (logdir=" + String.join("&logdir=", value.split(",")) + ").");
        }
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new GuardianException(ExitCodes.USAGE, "logdir=" + value + " is not an absolute path; give the log dir "
                    + "as the broker's log.dirs names it.");
        }
        return p.normalize();
    }
}
