package io.archiveguardian.guardian.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * bench/clean-stop: a real broker on a fresh 160 MiB ext4, the sidecar on default keys, a producer
 * at a fixed rate until the broker ends. Per run: how the broker ended (exit code, the marker), the
 * usable space left when it ended, and the time the stop took from the decision to the confirmed
 * marker (the audit's {@code seconds}). Goal (issue 19): every run ends with a clean shutdown and
 * space left above zero. Run by bench/clean-stop/run.sh as root.
 */
public final class CleanStopBench {

    static final long MIB = 1024L * 1024L;

    private CleanStopBench() {
    }

    record Run(long rateMiB, int run, int exit, boolean marker, long leftBytes, double stopSeconds, String reason) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long[] rates = {2, 8, 32};
        List<Run> results = new ArrayList<>();
        for (long rate : rates) {
            for (int r = 1; r <= runs; r++) {
                Run run = once(rate, r);
                results.add(run);
                System.out.printf(Locale.ROOT, "rate %d MiB/s, run %d: exit %d, marker %s, left %.1f MiB, stop %.2f s (%s)%n",
                        run.rateMiB(), run.run(), run.exit(), run.marker(), run.leftBytes() / (double) MIB,
                        run.stopSeconds(), run.reason());
            }
        }
        System.out.println("| rate | runs | clean stops | left when it ended (median, min-max) | decision to marker (median, min-max) |");
        System.out.println("|---|---|---|---|---|");
        for (long rate : rates) {
            List<Run> mine = results.stream().filter(x -> x.rateMiB() == rate).toList();
            long clean = mine.stream().filter(x -> x.exit() == 143 && x.marker() && x.leftBytes() > 0).count();
            List<Double> left = mine.stream().map(x -> x.leftBytes() / (double) MIB).sorted().toList();
            List<Double> secs = mine.stream().map(Run::stopSeconds).sorted().toList();
            System.out.printf(Locale.ROOT, "| %d MiB/s | %d | %d | %.1f MiB (%.1f-%.1f) | %.2f s (%.2f-%.2f) |%n", rate,
                    mine.size(), clean, median(left), left.get(0), left.get(left.size() - 1), median(secs), secs.get(0),
                    secs.get(secs.size() - 1));
        }
    }

    private static Run once(long rateMiB, int run) throws Exception {
        Path work = Files.createTempDirectory("clean-stop");
        try (SmallFilesystem fs = SmallFilesystem.mount(SmallFilesystem.Type.EXT4, 160 * MIB);
             ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).logDir(1, fs.root().resolve("kafka-logs"))
                     .baseDir(work.resolve("cluster")).property("log.segment.bytes", Long.toString(8 * MIB))
                     .property("offsets.topic.replication.factor", "1").build().start()) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 3, (short) 1).configs(Map.of(
                        "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
            }
            ChildBroker broker = cluster.broker(1);
            Map<String, Object> config = new HashMap<>();
            config.put(GuardianConfig.BROKER_CONFIG, broker.serverProperties().toString());
            config.put(GuardianConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
            config.put(GuardianConfig.STATE_DIR, work.resolve("state").toString());
            config.put(GuardianConfig.HTTP_LISTEN, "127.0.0.1:0");
            config.put(GuardianConfig.SCAN_INTERVAL_MS, "1000");
            config.put(GuardianConfig.CLUSTER_VIEW_ENABLED, "false");
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!sidecar.sidecar().status().map(s -> s.observation().brokerState().name()).orElse("").equals("RUNNING")
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                new ArchiveWorkload("archive").produceAtRate(cluster.bootstrapServers(), rateMiB * MIB, 16 * 1024,
                        Duration.ofMinutes(5), () -> !broker.isAlive());
                int exit = broker.awaitExit(Duration.ofSeconds(120));
                long left = fs.dfAvailableBytes();
                boolean marker = Files.exists(fs.root().resolve("kafka-logs").resolve(".kafka_cleanshutdown"));
                Path audit = work.resolve("state").resolve("stops.jsonl");
                for (int i = 0; i < 50 && !Files.exists(audit); i++) {
                    Thread.sleep(100);
                }
                double seconds = Double.NaN;
                String reason = "no stop recorded";
                if (Files.exists(audit)) {
                    JsonNode stop = Json.MAPPER.readTree(Files.readAllLines(audit).get(0));
                    seconds = stop.path("seconds").asDouble();
                    reason = stop.path("reason").asText() + ", " + stop.path("outcome").asText();
                }
                return new Run(rateMiB, run, exit, marker, left, seconds, reason);
            }
        }
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
