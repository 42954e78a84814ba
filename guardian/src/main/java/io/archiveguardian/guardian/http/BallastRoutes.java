package io.archiveguardian.guardian.http;

import com.sun.net.httpserver.HttpExchange;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.Trigger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/ballast/release?logdir=DIR|all_disks=true&tiers=N|all=true&reason=TEXT}: the
 * manual release over HTTP, with the same rules as {@code guardian ballast release}. Needs the token.
 */
final class BallastRoutes {

    private BallastRoutes() {
    }

    static void register(HttpApi api, BallastDuty ballast) {
        api.route("/api/v1/ballast/release", "POST", true, ex -> release(ex, ballast));
    }

    private static HttpApi.Response release(HttpExchange ex, BallastDuty ballast) {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String reason = q.get("reason");
        if (reason == null || reason.isBlank()) {
            throw new GuardianException(ExitCodes.USAGE, "reason is required: say why the ballast is released (reason=...)");
        }
        Optional<Path> logDir = Optional.ofNullable(q.get("logdir")).map(Path::of);
        boolean allDisks = "true".equals(q.get("all_disks"));
        if (logDir.isEmpty() && !allDisks && ballast.service().filesystems().size() > 1) {
            throw new GuardianException(ExitCodes.USAGE, "several filesystems hold log dirs: give logdir=DIR or all_disks=true");
        }
        ReleaseRequest request;
        if ("true".equals(q.get("all"))) {
            request = ReleaseRequest.all();
        } else {
            int tiers;
            try {
                tiers = Integer.parseInt(q.getOrDefault("tiers", "1"));
            } catch (NumberFormatException e) {
                throw new GuardianException(ExitCodes.USAGE, "tiers=" + q.get("tiers") + " is not a number; give tiers=N (N >= 1) or all=true");
            }
            if (tiers < 1) {
                throw new GuardianException(ExitCodes.USAGE, "tiers=" + tiers + ": give tiers=N with N >= 1, or all=true");
            }
            request = ReleaseRequest.tiers(tiers);
        }
        List<BallastService.Outcome<ReleaseResult>> results = ballast.release(logDir, request, Trigger.MANUAL, reason + " (HTTP)");
        List<Map<String, Object>> out = new ArrayList<>();
        for (BallastService.Outcome<ReleaseResult> r : results) {
            Map<String, Object> row = new HashMap<>();
            row.put("log_dir", r.filesystem().logDir().toString());
            row.put("released_tiers", r.result().releasedTiers());
            row.put("released_bytes", r.result().releasedBytes());
            row.put("usable_bytes_after", r.result().usableAfter());
            out.add(row);
        }
        return HttpApi.Response.json(200, Json.writePretty(Map.of("released", out)));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }
}
