package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.testsupport.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing listens on the bootstrap port: every call fails within admin.timeout.ms and says where it tried. */
class RetentionUnreachableTest {

    @Test
    void checkFailsWithinTheAdminTimeoutNamingTheBootstrapServersTried(@TempDir Path dir) throws Exception {
        String bootstrap = "127.0.0.1:" + Ports.free();
        Path config = Files.writeString(dir.resolve("guardian.properties"), "admin.timeout.ms=1500\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        long start = System.nanoTime();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "retention", "check",
                "--config", config.toString(), "--bootstrap-server", bootstrap, "--topics", "archive");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(code).isEqualTo(1);
        // The Kafka client's own timeout, when it comes first, adds its words in parentheses after "did not answer".
        assertThat(err.toString()).startsWith("guardian: could not list the cluster's topics within 1500 ms "
                + "(admin.timeout.ms): the cluster at " + bootstrap + " did not answer")
                .endsWith("; is it reachable? Check --bootstrap-server and --command-config.\n");
        assertThat(out.toString()).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theWatcherReportsAnUnreachableClusterAsAnErrorAndKeepsNoState() {
        String bootstrap = "127.0.0.1:" + Ports.free();
        Duration timeout = Duration.ofMillis(1000);
        RetentionWatcher watcher = new RetentionWatcher(new TopicSelection(List.of("archive"), Optional.empty(), Set.of()),
                true, Clock.systemUTC());
        try (Admin admin = AdminClients.create(bootstrap, Map.of(), timeout)) {
            RetentionPass pass = watcher.runOnce(new RetentionAdmin(admin, bootstrap, timeout), OptionalInt.of(0));

            assertThat(pass.errors()).singleElement().asString()
                    .startsWith("could not list the cluster's topics within 1000 ms (admin.timeout.ms): the cluster at "
                            + bootstrap + " did not answer");
            assertThat(pass.election()).isEmpty();
            assertThat(pass.topics()).isEmpty();
            assertThat(pass.events()).isEmpty();
            assertThat(watcher.driftTopics()).isZero();
        }
    }
}
