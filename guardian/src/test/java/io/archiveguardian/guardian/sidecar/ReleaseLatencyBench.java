package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Tier;
import io.archiveguardian.reserve.TierState;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * bench/release-latency: the time from {@code kill -9} of a real child broker to the ballast
 * release, read from the reserve's own {@code releasedAt}, with a healthy cluster, a refused port
 * and a black-hole bootstrap. Three child brokers; broker 1's log dir on the filesystem given.
 *
 * <pre>ReleaseLatencyBench MOUNT_DIR [kills=5] [broker.state.poll.ms=500]</pre>
 */
public final class ReleaseLatencyBench {

    static final long MIB = 1024L * 1024L;

    private ReleaseLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long poll = args.length > 2 ? Long.parseLong(args[2]) : 500;
        Path work = Files.createTempDirectory("release-latency");
        Path logDir = mount.resolve("kafka-logs");
        Map<String, List<Double>> results = new java.util.LinkedHashMap<>();
        try (BlackHole hole = new BlackHole();
             ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).logDir(1, logDir).baseDir(work.resolve("cluster"))
                     .build().start()) {
            ChildBroker broker = cluster.broker(1);
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("healthy cluster", cluster.bootstrapServers());
            cases.put("refused port", "127.0.0.1:" + Ports.free());
            cases.put("black hole", hole.address());
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Path config = config(work, broker, c.getValue());
                List<Double> seconds = new ArrayList<>();
                for (int k = 1; k <= kills; k++) {
                    cli("ballast", "arm", "--config", config.toString(), "--size", "64M", "--tiers", "8");
                    long usable = Files.getFileStore(logDir).getUsableSpace();
                    Map<String, Object> overrides = new HashMap<>(Map.of("http.listen", "127.0.0.1:0",
                            "broker.state.poll.ms", Long.toString(poll),
                            "recovery.margin.min.bytes", Long.toString(usable + 12 * MIB)));
                    BallastService reserves = BallastService.create(List.of(logDir),
                            BallastSettings.from(GuardianConfig.load(config, Map.of())), "bench", ReserveObserver.NONE);
                    try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, overrides)))) {
                        waitFor(Duration.ofSeconds(60), () -> sidecar.sidecar().status()
                                .map(s -> s.observation().brokerState().name().equals("RUNNING")).orElse(false));
                        Thread.sleep(2 * poll); // the guard has polled RUNNING at least once
                        Instant killed = Instant.now();
                        broker.kill();
                        waitFor(Duration.ofSeconds(60), () -> firstRelease(reserves, killed).isPresent());
                        double s = Duration.between(killed, firstRelease(reserves, killed).get()).toNanos() / 1e9;
                        waitFor(Duration.ofSeconds(60), () -> releasedSince(reserves, killed) >= 2);
                        seconds.add(s);
                        System.out.printf(Locale.ROOT, "%s, kill %d: kill -9 -> releasedAt %.3f s%n", c.getKey(), k, s);
                    }
                    broker.start().awaitStarted(Duration.ofSeconds(180));
                }
                results.put(c.getKey(), seconds);
            }
        }
        System.out.printf(Locale.ROOT, "%nbroker.state.poll.ms=%d, goal <= %.1f s%n", poll, poll / 1000.0 + 2);
        System.out.println("| bootstrap | kills | median | min | max |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, List<Double>> r : results.entrySet()) {
            List<Double> s = new ArrayList<>(r.getValue());
            s.sort(Double::compare);
            double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f s | %.2f s | %.2f s |%n", r.getKey(), s.size(), median,
                    s.get(0), s.get(s.size() - 1));
        }
    }

    /** The earliest release after the kill by the unclean-shutdown trigger, from the reserve's manifest. */
    private static Optional<Instant> firstRelease(BallastService reserves, Instant after) {
        return reserves.status().get(0).result().tiers().stream()
                .filter(t -> t.state() == TierState.RELEASED && t.releasedAt() != null && t.lastTrigger() != null
                        && t.lastTrigger().label().equals("unclean-shutdown"))
                .map(Tier::releasedAt).map(Instant::parse).filter(i -> i.isAfter(after)).min(Instant::compareTo);
    }

    private static long releasedSince(BallastService reserves, Instant after) {
        return reserves.status().get(0).result().tiers().stream()
                .filter(t -> t.state() == TierState.RELEASED && t.releasedAt() != null && t.lastTrigger() != null
                        && t.lastTrigger().label().equals("unclean-shutdown") && Instant.parse(t.releasedAt()).isAfter(after))
                .count();
    }

    private static Path config(Path work, ChildBroker broker, String bootstrap) throws Exception {
        Path file = Files.createTempFile(work, "guardian", ".properties");
        Properties p = new Properties();
        p.setProperty("broker.config", broker.serverProperties().toString());
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("state.dir", work.resolve("state").toString());
        p.setProperty("retention.topics", "archive");
        p.setProperty("reserve.arm.max.used.percent", "99");
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".ratio", "1.0");
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private static void cli(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited " + code + ": " + out);
        }
    }

    private static void waitFor(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
