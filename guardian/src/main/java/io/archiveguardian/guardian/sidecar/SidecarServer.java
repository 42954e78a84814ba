package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.http.HttpApi;
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
        Sidecar sidecar = new Sidecar(settings, new GuardianMetrics(), Clock.systemUTC());
        HttpApi http = HttpApi.start(settings.httpListen().host(), settings.httpListen().port(), sidecar);
        try {
            sidecar.start();
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        return new SidecarServer(sidecar, http);
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

    /** e.g. {@code http://127.0.0.1:9797} */
    public String baseUrl() {
        return http.baseUrl();
    }

    @Override
    public void close() {
        http.close();
        sidecar.close();
    }
}
