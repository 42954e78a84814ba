package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One HTTP request as a route sees it, independent of the server library: method, path, the
 * decoded query parameters (each name with all its values, in order) and the request headers.
 *
 * @param headers a header's first value by name (case-insensitive), or null
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Function<String, String> headers) {

    public ApiRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        query = java.util.Collections.unmodifiableMap(copy);
    }

    /** A request with a raw (still percent-encoded) query; a malformed query is a 400. */
    public static ApiRequest of(String method, String path, String rawQuery, Function<String, String> headers) {
        return new ApiRequest(method, path, parseQuery(rawQuery), headers);
    }

    /** The parameter's single value; given twice is a 400 (only {@code logdir} may repeat where a route says so). */
    public Optional<String> param(String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new GuardianException(ExitCodes.USAGE, name + "= is given " + values.size() + " times; give it once.");
        }
        return values.stream().findFirst();
    }

    /** Every value of a parameter that may repeat. */
    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** {@code name=true} or {@code name=false}; absent is false; any other value is a 400. */
    public boolean flag(String name) {
        Optional<String> v = param(name);
        if (v.isEmpty() || v.get().equals("false")) {
            return false;
        }
        if (v.get().equals("true")) {
            return true;
        }
        throw new GuardianException(ExitCodes.USAGE, name + "=" + v.get() + ": give " + name + "=true or " + name
                + "=false (or leave it out).");
    }

    /** A header's first value, or null. */
    public String header(String name) {
        return headers.apply(name);
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), raw);
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1), raw);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String decode(String s, String raw) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GuardianException(ExitCodes.USAGE, "malformed query '" + raw + "': " + e.getMessage()
                    + "; encode each name and value as application/x-www-form-urlencoded (a % is written %25).");
        }
    }
}
