package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs everything on this machine with no existing Kafka.",
                "A single-node KRaft broker in-process, an archive topic written at a modest rate, and "
                        + "the sidecar attached to it. Stops cleanly on Ctrl-C and leaves nothing running; the data "
                        + "stays in --data-dir."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the demo broker keeps its data (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:java.io.tmpdir}/guardian-demo")
    Path dataDir;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT", defaultValue = GuardianConfig.DEFAULT_HTTP_LISTEN,
            description = "Where the sidecar's HTTP server listens (default ${DEFAULT-VALUE}; same as http.listen).")
    String httpListen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        out.println("Starting a single-node Kafka broker in " + dataDir.toAbsolutePath() + " ...");
        out.flush();
        Demo demo = Demo.start(dataDir.toAbsolutePath(), httpListen);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the demo ...");
            demo.close();
            System.err.println("Demo stopped.");
            stopped.countDown();
        }, "guardian-demo-shutdown"));
        out.println(demo.banner());
        out.flush();
        stopped.await();
        return 0;
    }
}
