package io.archiveguardian.grafana;

import io.archiveguardian.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real Alertmanager (Debian's `prometheus-alertmanager`) that sends every alert to one webhook. */
final class Alertmanager implements AutoCloseable {

    private final ServerProcess server;

    private Alertmanager(ServerProcess server) {
        this.server = server;
    }

    static Alertmanager start(Path dir, String webhookUrl) {
        String config = """
                route:
                  receiver: test-webhook
                  group_by: ['...']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test-webhook
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                """.formatted(webhookUrl);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("alertmanager.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = Ports.free();
        return new Alertmanager(ServerProcess.start("alertmanager", dir, port, List.of(Programs.ALERTMANAGER,
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")));
    }

    String hostPort() {
        return server.hostPort();
    }

    String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
