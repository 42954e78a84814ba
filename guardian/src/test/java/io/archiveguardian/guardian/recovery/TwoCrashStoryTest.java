package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's story end to end: broker 1 of three on a 200 MiB ext4, a 6-partition RF 3 archive
 * topic, the sidecar running with default keys (but the scan interval). Crash 1 is carried by
 * ballast. Crash 2, soon after, with less ballast left and more missed: the operator follows
 * exactly what prestart prints; then prestart exits 0, the broker starts, stays up, rejoins the
 * ISR and every acknowledged offset reads back. Along the way the drop plan's two numbers are
 * checked against the real disk (df) and the real restart.
 */
@Tag("broker")
class TwoCrashStoryTest {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(200 * MIB);

    @TempDir
    Path tmp;

    @Test
    void theSecondCrashIsCarriedByTheDropThatPrestartPrintsAndNothingIsLost() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).logDir(1, logDir)
                .property("log.segment.bytes", Long.toString(16 * MIB)).build().start()) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 3).configs(Map.of(
                        "min.insync.replicas", "2", "retention.ms", "-1", "retention.bytes", "-1"))))
                        .all().get(60, TimeUnit.SECONDS);
            }
            ArchiveWorkload workload = new ArchiveWorkload(TOPIC);
            workload.produce(cluster.bootstrapServers(), 48 * MIB, 16 * 1024);
            Path config = guardianConfig(cluster);
            // The operator arms a known 48 MiB so the story's figures are the same every run; the
            // sidecar's own auto-arm on a fresh install (reserve.auto.arm) is SidecarAutoArmTest's.
            // With a reserve planned here, auto-arm adds nothing.
            CliRun arm = CliRun.of("ballast", "arm", "--config", config.toString(), "--size", "48M", "--tiers", "3");
            assertThat(arm.exitCode()).as(arm.out() + arm.err()).isZero();
            // The archive grows until 40 MiB stay free next to the 48 MiB of ballast.
            while (disk.filesystem().dfAvailableBytes() > 44 * MIB) {
                workload.produce(cluster.bootstrapServers(), 3 * MIB, 16 * 1024);
            }
            System.out.printf("set up: df avail %d MiB, 48 MiB ballast armed, %d records acknowledged%n",
                    disk.filesystem().dfAvailableBytes() / MIB, workload.acknowledgedCount());

            ChildBroker broker1 = cluster.broker(1);
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config,
                    Map.of("scan.interval.ms", "1000"))))) {
                await("the sidecar sees the broker running").atMost(Duration.ofSeconds(60))
                        .until(() -> sidecar.sidecar().status().map(s -> s.observation().brokerState().name()).orElse("").equals("RUNNING"));

                // Crash 1: kill -9, 45 MiB missed. A healthy cluster first: a partition whose ISR a
                // loaded machine shrank to broker 1 alone would go offline with it.
                cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(120));
                broker1.kill();
                workload.produce(cluster.liveBootstrapServers(), 45 * MIB, 16 * 1024);
                CliRun prestart1 = CliRun.of("prestart", "--config", config.toString());
                System.out.println("crash 1, prestart:\n" + prestart1.out() + prestart1.err());
                assertThat(prestart1.exitCode()).as("crash 1 is carried by ballast").isZero();
                startAndRejoin(cluster, broker1);
                System.out.printf("crash 1 path: %s; df avail %d MiB after the catch-up%n",
                        prestart1.out().contains("released tiers") ? "prestart released ballast"
                                : "the sidecar had released ballast; prestart: enough", disk.filesystem().dfAvailableBytes() / MIB);

                // Crash 2, soon after: more missed than free space and the ballast left can hold.
                cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(120));
                broker1.kill();
                long available = available(config);
                long missed = (available + 12 * MIB) * 100 / 111;
                workload.produce(cluster.liveBootstrapServers(), missed, 16 * 1024);
                System.out.printf("crash 2: %d MiB usable + ballast, %d MiB missed%n", available / MIB, missed / MIB);

                JsonNode before = dryRun(config);
                CliRun prestart2 = CliRun.of("prestart", "--config", config.toString());
                System.out.println("crash 2, prestart:\n" + prestart2.out() + prestart2.err());
                assertThat(prestart2.exitCode()).as("crash 2 does not fit with ballast alone").isEqualTo(10);
                List<String> printed = printedDropCommand(prestart2.out());
                JsonNode plan = before.at("/drop_plan/plan");
                long savedAtStart = plan.get("saved_at_start_bytes").asLong();
                long freedOnDisk = plan.get("freed_on_disk_bytes").asLong();
                boolean purge = plan.get("purge").asBoolean();
                assertThat(printed.contains("--purge")).isEqualTo(purge);

                long spaceBefore = before.at("/filesystems/0/usable_bytes").asLong() + armed(before);
                List<String> execute = new ArrayList<>(printed);
                execute.add("--execute");
                CliRun drop = CliRun.of(execute.toArray(String[]::new));
                System.out.println("crash 2, " + String.join(" ", execute) + ":\n" + drop.out() + drop.err());
                assertThat(drop.exitCode()).as(drop.out() + drop.err()).isZero();

                if (purge) {
                    assertThat(prestart2.out()).as("the plan says so before --execute").contains("there is NO UNDO")
                            .contains("The data lives on in the replicas on the other brokers:");
                    String audit = Files.readString(logDir.resolveSibling(logDir.getFileName() + ".guardian-trash").resolve("audit.jsonl"));
                    assertThat(audit.indexOf("\"action\":\"reassignment-completed\""))
                            .as("deleted only after the controller confirmed").isBetween(0, audit.indexOf("\"action\":\"purged\""));
                    for (JsonNode d : plan.get("drops")) {
                        String dir = d.get("topic").asText() + "-" + d.get("partition").asInt();
                        assertThat(audit.lines().filter(l -> l.contains("\"action\":\"purged\"") && l.contains("/" + dir + "\"")
                                && l.contains("\"bytes\":")).count()).as("audited: " + dir).isEqualTo(1);
                    }
                    assertThat(audit.lines().filter(l -> l.contains("\"action\":\"purged\"")).count())
                            .as("only the directories the plan named").isEqualTo(plan.get("drops").size());
                }
                JsonNode after = dryRun(config);
                long spaceAfter = after.at("/filesystems/0/usable_bytes").asLong() + armed(after);
                long needBefore = before.at("/filesystems/0/need/total_bytes").asLong();
                long needAfter = after.at("/filesystems/0/need/total_bytes").asLong();
                System.out.printf("plan: saves %d KiB at start, frees %d KiB on disk (purge %s); real: need fell by %d KiB, "
                        + "df (+ ballast) rose by %d KiB%n", savedAtStart / 1024, freedOnDisk / 1024, purge,
                        (needBefore - needAfter) / 1024, (spaceAfter - spaceBefore) / 1024);
                assertThat(spaceAfter - spaceBefore).as("freed on disk: FileStore usable space (+ ballast)").isBetween(freedOnDisk - 64 * 1024, freedOnDisk + 256 * 1024);
                assertThat(needBefore - needAfter).as("saved at start").isBetween(savedAtStart - 64 * 1024, savedAtStart + 64 * 1024);

                CliRun prestart3 = CliRun.of("prestart", "--config", config.toString());
                System.out.println("after the drop, prestart:\n" + prestart3.out() + prestart3.err());
                assertThat(prestart3.exitCode()).as("the printed command made the start fit").isZero();

                long restartNeed = needAfter - after.at("/filesystems/0/need/margin_bytes").asLong();
                long availBeforeStart = available(config);
                startAndRejoin(cluster, broker1);
                long consumed = availBeforeStart - available(config);
                System.out.printf("the real restart consumed %d KiB; the model after the drop said %d KiB (without margin), "
                        + "before the drop %d KiB%n", consumed / 1024, restartNeed / 1024,
                        (needBefore - before.at("/filesystems/0/need/margin_bytes").asLong()) / 1024);
                assertThat(consumed).as("the restart spent what the plan left, not what the dropped partition would have cost")
                        .isLessThan(needBefore - before.at("/filesystems/0/need/margin_bytes").asLong() - savedAtStart / 2);
                for (JsonNode d : plan.get("drops")) {
                    assertThat(logDir.resolve(d.get("topic").asText() + "-" + d.get("partition").asInt()))
                            .as("a dropped partition is not re-created").doesNotExist();
                }
            }
            Thread.sleep(5_000);
            assertThat(broker1.isAlive()).as("broker 1 stays up:\n" + broker1.tail(40)).isTrue();
            Map<?, Long> missing = workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(180));
            System.out.printf("records acknowledged %d, missing after reading back: %s%n", workload.acknowledgedCount(), missing);
            assertThat(missing).as("acknowledged offsets missing").isEmpty();
        }
    }

    /** The one {@code guardian drop ...} line prestart printed, as arguments (without "guardian"). */
    static List<String> printedDropCommand(String prestartOut) {
        String line = Arrays.stream(prestartOut.split("\n")).map(String::trim).filter(l -> l.startsWith("guardian drop "))
                .findFirst().orElseThrow(() -> new AssertionError("prestart printed no drop command:\n" + prestartOut));
        String command = line.contains("   (") ? line.substring(0, line.indexOf("   (")) : line;
        List<String> args = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
        args.remove(0);
        return args;
    }

    private static JsonNode dryRun(Path config) throws Exception {
        CliRun r = CliRun.of("prestart", "--config", config.toString(), "--dry-run", "--output", "json");
        return Json.MAPPER.readTree(r.out());
    }

    private static long armed(JsonNode prestart) {
        long sum = 0;
        for (JsonNode t : prestart.at("/filesystems/0/armed_tier_bytes")) {
            sum += t.asLong();
        }
        return sum;
    }

    private long available(Path config) throws Exception {
        JsonNode r = dryRun(config);
        return r.at("/filesystems/0/usable_bytes").asLong() + armed(r);
    }

    private static void startAndRejoin(ChildBrokerCluster cluster, ChildBroker broker1) throws Exception {
        broker1.start().awaitStarted(Duration.ofSeconds(180));
        try (Admin admin = cluster.admin()) {
            await("broker 1 rejoins the ISR of every partition it holds").atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        Map<String, TopicDescription> d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS);
                        return d.get(TOPIC).partitions().stream().filter(p -> p.replicas().stream().anyMatch(n -> n.id() == 1))
                                .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 1));
                    });
        }
        assertThat(broker1.isAlive()).as(broker1.tail(40)).isTrue();
    }

    /**
     * Default keys but the scan interval and the clean stop; the HTTP listener on a free port (tests
     * run side by side). Each restart here ends, on purpose, with less usable space than
     * stop.min.usable.bytes: with the stop on, the sidecar would stop broker 1 cleanly after its
     * catch-up, which CleanStopBeforeFullDiskTest and CatchUpCleanStopTest cover; this story is about
     * the ballast and the drop.
     */
    private Path guardianConfig(ChildBrokerCluster cluster) throws Exception {
        Path file = tmp.resolve("guardian.properties");
        Properties p = new Properties();
        p.setProperty("broker.config", cluster.broker(1).serverProperties().toString());
        p.setProperty("bootstrap.servers", cluster.bootstrapServers());
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("http.listen", "127.0.0.1:0");
        p.setProperty("stop.enabled", "false");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }
}
