package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
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
        requireTheDemoBroker();
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

    /** The broker's jars live in lib/demo/, which bin/guardian puts on the class path for `demo` only. */
    private static void requireTheDemoBroker() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, DemoCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            String home = System.getProperty("guardian.home", "<guardian home>");
            throw new GuardianException(ExitCodes.FAILED, "guardian demo needs the in-process broker's jars in " + home
                    + "/lib/demo/, which bin/guardian adds to the class path when its first command is demo; they are "
                    + "not on the class path (" + e + "). Run it as `bin/guardian demo` from the distribution "
                    + "(the container image leaves lib/demo/ out).", e);
        }
    }
}
