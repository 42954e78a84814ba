package io.archiveguardian.guardian.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP server (the JDK's own): {@code /metrics}, {@code /healthz}, {@code /readyz},
 * {@code /api/v1/status} and the status page {@code /}. Endpoints that change state require
 * {@code Authorization: Bearer <http.token>}. The probes and {@code /metrics} are answered on the
 * server's own threads; every other request runs on a separate work pool, so a slow request (a
 * release waiting for the reserve lock) cannot starve a liveness probe.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** Requests that may wait for a slow answer run here, never on the threads serving the probes. */
    private static final int WORK_THREADS = 2;
    private static final int WORK_QUEUE = 32;

    private final HttpServer server;
    private final SidecarView sidecar;
    private final java.util.concurrent.ThreadPoolExecutor work;

    private HttpApi(HttpServer server, SidecarView sidecar) {
        this.server = server;
        this.sidecar = sidecar;
        this.work = new java.util.concurrent.ThreadPoolExecutor(WORK_THREADS, WORK_THREADS, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(WORK_QUEUE), r -> {
                    Thread t = new Thread(r, "guardian-http-work");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * What an operator should know about this listener at start: a token sent over plain HTTP to a
     * non-loopback address can be read by anyone on the path.
     */
    public static java.util.List<String> startupWarnings(String host, Optional<String> token) {
        if (token.isEmpty()) {
            return java.util.List.of();
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            loopback = false;
        }
        return loopback ? java.util.List.of() : java.util.List.of("http.token is set and the HTTP server listens on "
                + host + ", which is not a loopback address, without TLS: the token crosses the network in clear text. "
                + "Listen on 127.0.0.1 (the default) and reach it through a TLS proxy or kubectl port-forward.");
    }

    /**
     * The address {@code http.listen} names, checked before anything starts: a host that does not
     * resolve, or an address no interface of this host has, is bad configuration (exit 2).
     */
    static java.net.InetAddress localAddress(String host, int port) {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new GuardianException(ExitCodes.USAGE, "http.listen=" + host + ":" + port + ": the host '" + host
                    + "' does not resolve; give an address or name of this host, 127.0.0.1 (the default) or 0.0.0.0 "
                    + "for all. Nothing was started.", e);
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (IOException e) {
            local = true; // cannot tell: let the bind decide
        }
        if (!local) {
            throw new GuardianException(ExitCodes.USAGE, "http.listen=" + host + ":" + port + ": " + address.getHostAddress()
                    + " is not an address of this host; give one of its addresses, 127.0.0.1 (the default) or 0.0.0.0 "
                    + "for all. Nothing was started.");
        }
        return address;
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving. */
    public static HttpApi start(String host, int port, SidecarView sidecar) {
        java.net.InetAddress address = localAddress(host, port);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("assign requested address")) {
                throw new GuardianException(ExitCodes.USAGE, "http.listen=" + host + ":" + port + ": " + host
                        + " is not an address of this host (" + e.getMessage() + "); give one of its addresses, "
                        + "127.0.0.1 (the default) or 0.0.0.0 for all. Nothing was started.", e);
            }
            throw new GuardianException(ExitCodes.FAILED, "cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + ". Another process uses the port; choose another with --http-listen or http.listen.", e);
        } catch (IOException e) {
            throw new GuardianException(ExitCodes.FAILED, "cannot listen on " + host + ":" + port + ": " + e, e);
        }
        HttpApi api = new HttpApi(server, sidecar);
        api.routes();
        startupWarnings(host, sidecar.settings().httpToken()).forEach(LOG::warn);
        // These threads serve /healthz, /readyz and /metrics themselves and hand every other request
        // to the work pool, so a slow request never keeps a liveness probe waiting.
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "guardian-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return api;
    }

    /** "METHOD /path" of every JSON endpoint (the JSON-style test walks them all). */
    private final java.util.Set<String> jsonRoutes = new java.util.concurrent.ConcurrentSkipListSet<>();

    /** "GET /api/v1/status", "POST /api/v1/ballast/release", ...: every endpoint that answers JSON. */
    public java.util.Set<String> jsonRoutes() {
        return java.util.Set.copyOf(jsonRoutes);
    }

    private void routes() {
        jsonRoutes.add("GET /api/v1/status");
        server.createContext("/metrics", ex -> get(ex, () ->
                new Response(200, "text/plain; version=0.0.4; charset=utf-8", sidecar.metrics().scrape())));
        server.createContext("/healthz", ex -> get(ex, () -> sidecar.healthy()
                ? Response.text(200, "ok\n") : Response.text(503, "passes are not completing; see the guardian log\n")));
        server.createContext("/readyz", ex -> get(ex, () -> sidecar.ready()
                ? Response.text(200, "ready\n") : Response.text(503, "no pass completed yet\n")));
        server.createContext("/api/v1/status", ex -> offload(ex, () -> get(ex, () -> sidecar.status()
                .map(s -> Response.json(200, Json.writePretty(s)))
                .orElse(Response.json(503, "{\"error\":\"no pass completed yet\"}")))));
        BallastRoutes.register(this, sidecar.ballast());
        DropRoutes.register(this, sidecar);
        ClusterRoutes.register(this, sidecar);
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().equals("/")) {
                send(ex, Response.text(404, "not found: " + ex.getRequestURI().getPath() + "\n"));
                return;
            }
            offload(ex, () -> get(ex, () -> new Response(200, "text/html; charset=utf-8",
                    StatusPage.render(sidecar.status(), sidecar.clusterView().cached()))));
        });
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    /** Adds an endpoint for a later capability; {@code requiresToken} guards state changes. */
    public void route(String path, String method, boolean requiresToken, Handler handler) {
        jsonRoutes.add(method + " " + path);
        server.createContext(path, ex -> offload(ex, () -> {
            if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
                send(ex, Response.text(405, "use " + method + "\n"));
                return;
            }
            if (requiresToken && !authorized(ex)) {
                send(ex, Response.json(sidecar.settings().httpToken().isEmpty() ? 403 : 401,
                        "{\"error\":\"this endpoint changes state: send Authorization: Bearer <http.token>"
                                + (sidecar.settings().httpToken().isEmpty() ? "; http.token is not set, so it is disabled" : "")
                                + "\"}"));
                return;
            }
            respond(ex, () -> handler.handle(ex));
        }));
    }

    /** Runs a request that may be slow on the work pool; a full pool answers 503 at once. */
    private void offload(HttpExchange ex, Runnable request) {
        try {
            work.execute(request);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            send(ex, Response.json(503, "{\"error\":\"busy: too many requests in progress; retry\"}"));
        }
    }

    boolean authorized(HttpExchange ex) {
        Optional<String> token = sidecar.settings().httpToken();
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (token.isEmpty() || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8),
                header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Body {
        Response get() throws Exception;
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(HttpExchange exchange) throws Exception;
    }

    private void get(HttpExchange ex, Body body) {
        if (!ex.getRequestMethod().equalsIgnoreCase("GET") && !ex.getRequestMethod().equalsIgnoreCase("HEAD")) {
            send(ex, Response.text(405, "use GET\n"));
            return;
        }
        respond(ex, body);
    }

    private void respond(HttpExchange ex, Body body) {
        Response response;
        try {
            response = body.get();
        } catch (GuardianException e) {
            response = Response.json(e.exitCode() == ExitCodes.USAGE ? 400 : 409,
                    "{\"error\":" + Json.write(e.getMessage()) + "}");
        } catch (Exception e) {
            LOG.error("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            response = Response.json(500, "{\"error\":" + Json.write(String.valueOf(e)) + "}");
        }
        send(ex, response);
    }

    private static void send(HttpExchange ex, Response response) {
        try (ex) {
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", response.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
            ex.sendResponseHeaders(response.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        work.shutdownNow();
    }

    /** An HTTP response. */
    public record Response(int status, String contentType, String body) {
        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }

        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }
}
