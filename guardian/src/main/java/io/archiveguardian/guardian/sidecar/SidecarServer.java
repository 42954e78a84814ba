package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.http.HttpApi;
import io.archiveguardian.guardian.http.HttpOptions;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import java.time.Clock;

/** The running sidecar as {@code guardian run} and {@code guardian demo} start it: passes plus HTTP. */
public final class SidecarServer implements AutoCloseable {

    private final Sidecar sidecar;
    private final HttpApi http;

    private SidecarServer(Sidecar sidecar, HttpApi http) {
        this.sidecar = sidecar;
        this.http = http;
    }

    public static SidecarServer start(GuardianSettings settings) {
        // Bad http.* settings (a keystore that does not open) stop the start before anything runs.
        HttpOptions options = HttpOptions.from(settings.config());
        Sidecar sidecar = new Sidecar(settings, new GuardianMetrics(), Clock.systemUTC());
        HttpApi http;
        try {
            http = HttpApi.start(settings.httpListen().host(), settings.httpListen().port(), options, sidecar);
        } catch (RuntimeException e) {
            sidecar.close();
            throw e;
        }
        try {
            sidecar.clusterView().start(advertised(settings, http));
            sidecar.start();
        } catch (RuntimeException e) {
            sidecar.clusterView().close();
            http.close();
            throw e;
        }
        return new SidecarServer(sidecar, http);
    }

    /** cluster.view.advertised.address, else the address HTTP bound (the host name when bound to all interfaces). */
    static String advertised(GuardianSettings settings, HttpApi http) {
        String configured = settings.config().getString(io.archiveguardian.guardian.config.GuardianConfig.CLUSTER_VIEW_ADVERTISED_ADDRESS).trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        java.net.InetSocketAddress a = http.address();
        String host = a.getAddress().isAnyLocalAddress() ? settings.hostName() : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }

    /** Every JSON endpoint of the HTTP server, as "METHOD /path". */
    public java.util.Set<String> httpRoutes() {
        return http.jsonRoutes();
    }

    public Sidecar sidecar() {
        return sidecar;
    }

    public HttpApi http() {
        return http;
    }

    /** e.g. {@code http://127.0.0.1:9797} ({@code https://} with http.tls.keystore.path) */
    public String baseUrl() {
        return http.baseUrl();
    }

    @Override
    public void close() {
        http.close();
        sidecar.close();
    }
}
