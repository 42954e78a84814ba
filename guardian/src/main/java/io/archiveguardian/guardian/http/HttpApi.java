package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP server (Jetty's core server, no servlets): {@code /metrics}, {@code /healthz},
 * {@code /readyz}, {@code /api/v1/*} and the status page {@code /}.
 *
 * <p>What a slow or hostile client can do, and what it cannot:
 * <ul>
 *   <li>Jetty reads requests without blocking: a client that sends half a request holds a socket, no
 *       thread. A new connection must deliver its first request head within {@code http.read.timeout.ms},
 *       and any connection silent that long is closed.</li>
 *   <li>{@code /healthz}, {@code /readyz} and {@code /metrics} are answered on Jetty's own threads at
 *       once; every other route runs on one of two small work pools and is answered 503 when its pool
 *       is full, so nothing waits behind a slow request.</li>
 *   <li>Routes that need {@code Authorization: Bearer <http.token>} have their own pool; the token is
 *       checked before a request is queued, so unauthenticated requests (cluster forwarding, the page,
 *       drop candidates) can never take the capacity of the release.</li>
 *   <li>With {@code http.tls.keystore.path} set the port speaks HTTPS only.</li>
 * </ul>
 * Every answer under {@code /api/v1/} is JSON, errors included ({@link ApiError}).
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    static final String API_PREFIX = "/api/v1/";
    /** Work threads and queue for routes anyone may call (the page, status, drop candidates, cluster). */
    static final int PUBLIC_THREADS = 2;
    static final int PUBLIC_QUEUE = 16;
    /** Work threads and queue for routes that need the token (the release). */
    static final int TOKEN_THREADS = 2;
    static final int TOKEN_QUEUE = 4;
    /**
     * Open connections at most; more wait in the kernel's accept queue. High enough that a few
     * hundred stalled clients (each closed after the read timeout) leave room for the probes, low
     * enough that a flood cannot take every file descriptor of the process.
     */
    static final int MAX_CONNECTIONS = 1_000;

    private final Server server;
    private final ServerConnector connector;
    private final SidecarView sidecar;
    private final boolean tls;
    private final ThreadPoolExecutor publicWork = pool("guardian-http-public", PUBLIC_THREADS, PUBLIC_QUEUE);
    private final ThreadPoolExecutor tokenWork = pool("guardian-http-token", TOKEN_THREADS, TOKEN_QUEUE);
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Connections that delivered at least one request head (the others are closed at the read timeout). */
    private final Set<Connection> answered = ConcurrentHashMap.newKeySet();
    /** "METHOD /path" of every JSON endpoint (the JSON-style test walks them all). */
    private final Set<String> jsonRoutes = new ConcurrentSkipListSet<>();

    private HttpApi(Server server, ServerConnector connector, SidecarView sidecar, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.sidecar = sidecar;
        this.tls = tls;
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What an operator should know about this listener at start: a token sent over plain HTTP to a
     * non-loopback address can be read by anyone on the path.
     */
    public static List<String> startupWarnings(String host, Optional<String> token, boolean tls) {
        if (token.isEmpty() || tls) {
            return List.of();
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            loopback = false;
        }
        return loopback ? List.of() : List.of("http.token is set and the HTTP server listens on "
                + host + ", which is not a loopback address, without TLS: the token crosses the network in clear text. "
                + "Set http.tls.keystore.path (HTTPS), or listen on 127.0.0.1 (the default) and reach it through a TLS "
                + "proxy or kubectl port-forward.");
    }

    /** This server's start-up warnings (see {@link #startupWarnings(String, Optional, boolean)}). */
    public List<String> startupWarnings() {
        return startupWarnings(sidecar.settings().httpListen().host(), sidecar.settings().httpToken(), tls);
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

    /** Binds {@code host:port} (port 0: any free port) with the {@code http.*} settings of the sidecar and starts serving. */
    public static HttpApi start(String host, int port, SidecarView sidecar) {
        return start(host, port, HttpOptions.from(sidecar.settings().config()), sidecar);
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving. */
    public static HttpApi start(String host, int port, HttpOptions options, SidecarView sidecar) {
        java.net.InetAddress address = localAddress(host, port);
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("guardian-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setRequestHeaderSize(8 * 1024);
        HttpConnectionFactory http = new HttpConnectionFactory(config);
        ServerConnector connector;
        if (options.tls().isPresent()) {
            HttpOptions.Tls t = options.tls().get();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(t.keyStore());
            ssl.setKeyManagerPassword(new String(t.password()));
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, http.getProtocol()), http);
        } else {
            connector = new ServerConnector(server, 1, 1, http);
        }
        connector.setHost(address.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(options.readTimeout().toMillis());
        connector.setAcceptQueueSize(64);
        server.addConnector(connector);
        server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setErrorHandler(new ApiError.JsonErrorHandler());

        HttpApi api = new HttpApi(server, connector, sidecar, options.tls().isPresent());
        connector.addBean(api.requestHeadDeadline(options.readTimeout().toMillis()));
        server.setHandler(api.new Dispatch());
        api.routes();
        try {
            server.start();
        } catch (Exception e) {
            api.close();
            Throwable bind = e instanceof IOException ? e : e.getCause();
            String message = String.valueOf(bind == null ? e.getMessage() : bind.getMessage());
            if (message.contains("assign requested address")) {
                throw new GuardianException(ExitCodes.USAGE, "http.listen=" + host + ":" + port + ": " + host
                        + " is not an address of this host (" + message + "); give one of its addresses, "
                        + "127.0.0.1 (the default) or 0.0.0.0 for all. Nothing was started.", e);
            }
            if (e instanceof IOException || e.getCause() instanceof IOException) {
                throw new GuardianException(ExitCodes.FAILED, "cannot listen on " + host + ":" + port + ": " + message
                        + ". Another process uses the port; choose another with --http-listen or http.listen.", e);
            }
            throw new GuardianException(ExitCodes.FAILED, "cannot start the HTTP server on " + host + ":" + port + ": " + e, e);
        }
        api.startupWarnings().forEach(LOG::warn);
        return api;
    }

    /** Closes a connection that has not delivered a complete request head within the read timeout. */
    private Connection.Listener requestHeadDeadline(long millis) {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (!(connection instanceof ConnectionMetaData)) {
                    return; // the TLS layer: its HTTP connection is opened once the handshake is done
                }
                connector.getScheduler().schedule(() -> {
                    if (!answered.contains(connection) && connection.getEndPoint().isOpen()) {
                        LOG.debug("closing {}: no complete request within {} ms", connection.getEndPoint().getRemoteSocketAddress(), millis);
                        connection.getEndPoint().close();
                    }
                }, millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onClosed(Connection connection) {
                answered.remove(connection);
            }
        };
    }

    /** "GET /api/v1/status", "POST /api/v1/ballast/release", ...: every endpoint that answers JSON. */
    public Set<String> jsonRoutes() {
        return Set.copyOf(jsonRoutes);
    }

    private void routes() {
        route("/api/v1/status", "GET", false, Set.of(), ex -> sidecar.status()
                .map(s -> Response.json(200, Json.writePretty(s)))
                .orElse(ApiError.response(503, "no pass completed yet", List.of())));
        BallastRoutes.register(this, sidecar.ballast());
        DropRoutes.register(this, sidecar);
        ClusterRoutes.register(this, sidecar);
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress address() {
        String host = connector.getHost();
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(host), connector.getLocalPort());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** e.g. {@code http://127.0.0.1:9797}, {@code https://...} with TLS. */
    public String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + a.getPort();
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return tls;
    }

    /** Adds an endpoint that takes any query parameter; {@code requiresToken} guards state changes. */
    public void route(String path, String method, boolean requiresToken, Handler handler) {
        route(path, method, requiresToken, null, handler);
    }

    /**
     * Adds an endpoint (a path and everything below it, e.g. {@code /api/v1/cluster/brokers/1}).
     *
     * @param parameters the query parameters it takes (another one is a 400 that lists these); null: any
     */
    public void route(String path, String method, boolean requiresToken, Set<String> parameters, Handler handler) {
        jsonRoutes.add(method + " " + path);
        routes.put(path, new Route(path, method, requiresToken, parameters == null ? null : Set.copyOf(parameters), handler));
    }

    private record Route(String path, String method, boolean requiresToken, Set<String> parameters, Handler handler) {
        List<String> parameterList() {
            return parameters == null ? List.of() : parameters.stream().sorted().toList();
        }
    }

    private Optional<Route> routeFor(String path) {
        Route exact = routes.get(path);
        if (exact != null) {
            return Optional.of(exact);
        }
        return routes.values().stream().filter(r -> path.startsWith(r.path() + "/"))
                .max(java.util.Comparator.comparingInt(r -> r.path().length()));
    }

    boolean authorized(ApiRequest request) {
        Optional<String> token = sidecar.settings().httpToken();
        String header = request.header("Authorization");
        if (token.isEmpty() || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8),
                header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(ApiRequest request) throws Exception;
    }

    /** Every request: the probes at once, the rest to a work pool, unknown paths a 404. */
    private final class Dispatch extends org.eclipse.jetty.server.Handler.Abstract {

        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            answered.add(request.getConnectionMetaData().getConnection());
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            try {
                switch (path == null ? "" : path) {
                    case "/healthz" -> send(response, callback, method, probe(method, () -> sidecar.healthy()
                            ? Response.text(200, "ok\n") : Response.text(503, "passes are not completing; see the guardian log\n")));
                    case "/readyz" -> send(response, callback, method, probe(method, () -> sidecar.ready()
                            ? Response.text(200, "ready\n") : Response.text(503, "no pass completed yet\n")));
                    case "/metrics" -> send(response, callback, method, probe(method, () -> new Response(200,
                            "text/plain; version=0.0.4; charset=utf-8", sidecar.metrics().scrape())));
                    case "/" -> {
                        if (!isGet(method)) {
                            send(response, callback, method, Response.text(405, "use GET\n").withHeader("Allow", "GET, HEAD"));
                        } else {
                            offload(publicWork, request, response, callback, () -> new Response(200, "text/html; charset=utf-8",
                                    StatusPage.render(sidecar.status(), sidecar.clusterView().cached())));
                        }
                    }
                    default -> api(request, response, callback, path == null ? "" : path, method);
                }
            } catch (RuntimeException e) {
                LOG.error("HTTP {} {} failed", method, path, e);
                send(response, callback, method, ApiError.response(500, String.valueOf(e), List.of()));
            }
            return true;
        }
    }

    private void api(Request request, org.eclipse.jetty.server.Response response, Callback callback, String path, String method) {
        Optional<Route> found = routeFor(path);
        if (found.isEmpty()) {
            send(response, callback, method, path.startsWith(API_PREFIX) || path.equals("/api/v1")
                    ? ApiError.response(404, "not found: " + path + "; the routes are " + String.join(", ", jsonRoutes), List.of())
                    : Response.text(404, "not found: " + path + "\n"));
            return;
        }
        Route route = found.get();
        boolean get = route.method().equals("GET");
        if (!(method.equals(route.method()) || (get && method.equals("HEAD")))) {
            send(response, callback, method, ApiError.response(405, method + " is not allowed on " + route.path()
                    + ": use " + route.method(), List.of()).withHeader("Allow", get ? "GET, HEAD" : route.method()));
            return;
        }
        ApiRequest api;
        try {
            api = ApiRequest.of(method, path, request.getHttpURI().getQuery(), name -> request.getHeaders().get(name));
        } catch (GuardianException e) {
            send(response, callback, method, ApiError.response(400, e.getMessage(), route.parameterList()));
            return;
        }
        if (route.requiresToken() && !authorized(api)) {
            boolean off = sidecar.settings().httpToken().isEmpty();
            send(response, callback, method, ApiError.response(off ? 403 : 401,
                    "this endpoint changes state: send Authorization: Bearer <http.token>"
                            + (off ? "; http.token is not set, so it is disabled" : ""), List.of()));
            return;
        }
        if (route.parameters() != null) {
            List<String> unknown = api.query().keySet().stream().filter(k -> !route.parameters().contains(k)).toList();
            if (!unknown.isEmpty()) {
                send(response, callback, method, ApiError.response(400, "unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                        + String.join(", ", unknown) + " on " + route.method() + " " + route.path() + "; it takes "
                        + (route.parameters().isEmpty() ? "none" : String.join(", ", route.parameterList())), route.parameterList()));
                return;
            }
        }
        offload(route.requiresToken() ? tokenWork : publicWork, request, response, callback, () -> {
            try {
                return route.handler().handle(api);
            } catch (GuardianException e) {
                int status = e.exitCode() == ExitCodes.USAGE ? 400 : 409;
                return ApiError.response(status, e.getMessage(), status == 400 ? route.parameterList() : List.of());
            }
        });
    }

    private static boolean isGet(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static Response probe(String method, java.util.function.Supplier<Response> answer) {
        return isGet(method) ? answer.get() : Response.text(405, "use GET\n").withHeader("Allow", "GET, HEAD");
    }

    @FunctionalInterface
    private interface Work {
        Response get() throws Exception;
    }

    /** Runs a request on a work pool; a full pool answers 503 at once. A slow answer is never cut by the idle timeout. */
    private void offload(ThreadPoolExecutor pool, Request request, org.eclipse.jetty.server.Response response,
                         Callback callback, Work work) {
        request.addIdleTimeoutListener(timeout -> false);
        String method = request.getMethod();
        try {
            pool.execute(() -> {
                Response answer;
                try {
                    answer = work.get();
                } catch (Exception e) {
                    LOG.error("HTTP {} {} failed", method, request.getHttpURI().getPath(), e);
                    answer = ApiError.response(500, String.valueOf(e), List.of());
                }
                send(response, callback, method, answer);
            });
        } catch (RejectedExecutionException e) {
            send(response, callback, method, ApiError.response(503, "busy: too many requests in progress; retry", List.of())
                    .withHeader("Retry-After", "1"));
        }
    }

    private static void send(org.eclipse.jetty.server.Response response, Callback callback, String method, Response answer) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(method.equals("HEAD") ? new byte[0] : body), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stopping the HTTP server: {}", e.toString());
        }
        publicWork.shutdownNow();
        tokenWork.shutdownNow();
    }

    /** An HTTP response. */
    public record Response(int status, String contentType, String body, Map<String, String> headers) {
        public Response {
            headers = Map.copyOf(headers);
        }

        public Response(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }

        public static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }

        /** This response with one more header. */
        public Response withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, contentType, body, h);
        }
    }
}
