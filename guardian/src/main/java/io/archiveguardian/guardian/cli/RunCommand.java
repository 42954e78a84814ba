package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the sidecar: watches the disks and the broker, frees ballast after an unclean exit, "
                        + "reports.",
                "Every scan.interval.ms one pass of observe, assess, act, report, with /metrics, "
                        + "/healthz, /readyz, /api/v1/status and a status page on --http-listen. Every "
                        + "broker.state.poll.ms it checks the broker and, after an unclean exit, releases the "
                        + "ballast the next start needs at once, on local facts; cluster calls never delay that. "
                        + "A log dir whose disk fills is cordoned, and with JBOD its replicas move to a sibling log "
                        + "dir of the broker on another disk while it runs (alterReplicaLogDirs; move.enabled, "
                        + "docs/move.md). When the running broker's disk would fill before a clean shutdown could finish, and no "
                        + "ballast above what its next start needs is left, it stops the broker cleanly (SIGTERM, "
                        + "then checks .kafka_cleanshutdown) so that the next start needs no log recovery; "
                        + "stop.enabled=false turns that off (docs/stop.md). "
                        + "Stops cleanly on SIGTERM or Ctrl-C."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT",
            description = "Where the HTTP server listens (default " + GuardianConfig.DEFAULT_HTTP_LISTEN + "; same as http.listen).")
    String httpListen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> extra = new HashMap<>();
        if (httpListen != null) {
            extra.put(GuardianConfig.HTTP_LISTEN, httpListen);
        }
        GuardianSettings settings = options.settings(extra);
        LogFormat.apply(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        SidecarServer server = SidecarServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "guardian-shutdown"));
        var out = spec.commandLine().getOut();
        out.printf("guardian sidecar watching %s; HTTP on %s (status page %s/, metrics %s/metrics)%n",
                settings.logDirs(), server.baseUrl(), server.baseUrl(), server.baseUrl());
        out.flush();
        // The HTTP server's start-up warnings (a token over plain HTTP beyond loopback) are logged once by
        // HttpApi on stderr; printing them here too said each twice.
        stopped.await();
        return 0;
    }
}
