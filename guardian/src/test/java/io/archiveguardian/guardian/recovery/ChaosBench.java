package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.sidecar.BlackHole;
import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.SmallFilesystem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * bench/chaos (issue "Whole-cluster incidents", item 7): three child brokers, each on its own small
 * ext4 with a sidecar as a child process ({@code guardian run}), an archive topic written the whole
 * time, and faults injected at random moments: kill -9 of a broker, of a sidecar, of both, a sidecar
 * whose bootstrap is a black hole while its broker dies, a disk filled to critical, a disk filled past
 * what the next start needs while the sidecar is down and then the broker killed, a whole-cluster
 * power loss. Brokers come back as systemd would bring them: {@code guardian prestart}, then the start
 * (also after an exit 10, to learn whether the start would have fitted).
 *
 * <p>Invariants, checked all the time by a monitor and after each fault: no ballast released while the
 * broker ran (outside a fill the bench made, where a critical release is the design); no prestart exit 10
 * for a start that then fits; no sidecar exits or stops answering {@code /healthz} by itself; no broker
 * ends by itself without its clean-shutdown marker (a halt on a full disk); at the end, every
 * acknowledged record reads back. Run by bench/chaos/run.sh as root.
 */
public final class ChaosBench {

    static final long MIB = 1024L * 1024L;
    static final String TOPIC = "archive";
    static final Duration POLL = Duration.ofMillis(200);

    enum Fault { KILL_BROKER, KILL_SIDECAR, KILL_BOTH, BLACK_HOLE, FILL_CRITICAL, FULL_WITH_SIDECAR_DOWN, POWER_LOSS }

    private final Path work;
    private final Random random;
    private final List<Fault> kinds;
    private final List<SmallFilesystem> disks = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    private final Map<String, List<String>> violations = new TreeMap<>();
    private final Map<String, Integer> prestartExits = new TreeMap<>();
    private final List<Double> releaseSeconds = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private int cleanStops;
    private ChildBrokerCluster cluster;

    private ChaosBench(Path work, long seed, List<Fault> kinds) {
        this.work = work;
        this.random = new Random(seed);
        this.kinds = kinds;
    }

    /** One host: its broker, its disk, its sidecar process, and what the monitor last saw. */
    final class Host {
        final int id;
        final SmallFilesystem disk;
        final Path config;
        final int httpPort;
        volatile Process sidecar;
        final java.util.Set<Process> sidecarsKilledOnPurpose = ConcurrentHashMap.newKeySet();
        volatile boolean brokerDownOnPurpose;
        volatile boolean filling;
        volatile long lastBrokerDownNanos = System.nanoTime();
        volatile long lastHealthyNanos = System.nanoTime();
        volatile boolean answeredSinceStart;
        volatile long ballastBytes = -1;
        volatile Instant killedAt;

        Host(int id, SmallFilesystem disk, Path config, int httpPort) {
            this.id = id;
            this.disk = disk;
            this.config = config;
            this.httpPort = httpPort;
        }

        ChildBroker broker() {
            return cluster.broker(id);
        }

        void startSidecar(Path configFile) throws IOException {
            Path log = work.resolve("sidecar-" + id + ".log");
            Files.writeString(log, "=== start " + Instant.now() + " " + configFile.getFileName() + " ===\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), io.archiveguardian.guardian.cli.Main.class.getName(),
                    "run", "--config", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            sidecar = pb.start();
            answeredSinceStart = false;
            lastHealthyNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a JVM start on a loaded host
        }

        void killSidecar() {
            Process p = sidecar;
            if (p != null) {
                sidecarsKilledOnPurpose.add(p);
                p.destroyForcibly();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void killBroker() {
            brokerDownOnPurpose = true;
            killedAt = Instant.now();
            broker().kill();
            lastBrokerDownNanos = System.nanoTime();
        }

        long ballastOnDisk() {
            try (Stream<Path> files = Files.walk(disk.root(), 2)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".ballast")).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        return 0;
                    }
                }).sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                return -1;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 20);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
        Path work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "chaos");
        System.out.printf("chaos run: %d min, seed %d, work %s%n", length.toMinutes(), seed, work);
        List<Fault> kinds = args.length > 2
                ? java.util.Arrays.stream(args[2].split(",")).map(k -> Fault.valueOf(k.trim().toUpperCase(Locale.ROOT).replace(' ', '_'))).toList()
                : List.of(Fault.values());
        ChaosBench bench = new ChaosBench(work, seed, kinds);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "chaos-close"));
        int code;
        try {
            code = bench.run(length);
        } finally {
            bench.close();
        }
        System.exit(code);
    }

    private int run(Duration length) throws Exception {
        for (int i = 0; i < 3; i++) {
            disks.add(SmallFilesystem.mount(SmallFilesystem.Type.EXT4, 192 * MIB));
        }
        ChildBrokerCluster.Builder builder = ChildBrokerCluster.builder(3).baseDir(work.resolve("cluster"))
                .property("log.segment.bytes", Long.toString(8 * MIB));
        for (int id = 1; id <= 3; id++) {
            builder.logDir(id, disks.get(id - 1).root().resolve("kafka-logs"));
        }
        cluster = builder.build().start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2",
                    "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        }
        for (int id = 1; id <= 3; id++) {
            int port = Ports.free();
            Host host = new Host(id, disks.get(id - 1), writeConfig(id, port, cluster.bootstrapServers()), port);
            hosts.add(host);
            host.startSidecar(host.config);
        }
        ArchiveWorkload workload = new ArchiveWorkload(TOPIC);
        Thread producer = new Thread(() -> produceUntilStopped(workload), "chaos-producer");
        producer.start();
        Thread monitor = new Thread(this::monitor, "chaos-monitor");
        monitor.setDaemon(true);
        monitor.start();

        Thread.sleep(60_000); // the sidecars arm and measure a rate before the first fault
        long end = System.nanoTime() + length.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
            Fault fault = kinds.get(random.nextInt(kinds.size()));
            Host host = hosts.get(random.nextInt(hosts.size()));
            n++;
            System.out.printf(Locale.ROOT, "%s fault %d: %s on host %d%n", Instant.now(), n, fault, host.id);
            faults.merge(fault, 1, Integer::sum);
            inject(fault, host);
            restartEndedBrokers();
            awaitHealthyCluster();
            Thread.sleep(10_000 + random.nextInt(30_000));
        }
        stopping.set(true);
        producer.join(60_000);
        Map<?, Long> missing = workload.missingAfterReadingBack(cluster.bootstrapServers(), Duration.ofSeconds(180));
        if (!missing.isEmpty()) {
            violation("acknowledged record lost", missing.toString());
        }
        report(workload);
        return violations.isEmpty() ? 0 : 1;
    }

    private void inject(Fault fault, Host host) throws Exception {
        switch (fault) {
            case KILL_BROKER -> {
                host.killBroker();
                Thread.sleep(5_000); // RestartSec
                restartBroker(host);
            }
            case KILL_SIDECAR -> {
                host.killSidecar();
                Thread.sleep(5_000);
                host.startSidecar(host.config);
            }
            case KILL_BOTH -> {
                host.killSidecar();
                host.killBroker();
                Thread.sleep(5_000);
                host.startSidecar(host.config); // systemd starts both; prestart first for the broker
                restartBroker(host);
            }
            case BLACK_HOLE -> {
                try (BlackHole hole = new BlackHole()) {
                    host.killSidecar();
                    host.startSidecar(writeConfig(host.id, host.httpPort, hole.address()));
                    Thread.sleep(30_000);
                    host.killBroker(); // a crash while the cluster does not answer the sidecar
                    Thread.sleep(5_000);
                    restartBroker(host);
                    Thread.sleep(20_000);
                    host.killSidecar();
                }
                host.startSidecar(host.config);
            }
            case FILL_CRITICAL -> fill(host);
            case FULL_WITH_SIDECAR_DOWN -> fullWithSidecarDown(host);
            case POWER_LOSS -> {
                hosts.forEach(Host::killSidecar);
                hosts.forEach(Host::killBroker);
                Thread.sleep(60_000);
                for (Host h : hosts) {
                    h.startSidecar(h.config);
                }
                restartBrokers(hosts); // every host at once, as each host's systemd does: a quorum needs two
            }
            default -> throw new IllegalStateException(fault.name());
        }
    }

    /** Fills the disk until usable space is below the critical floor, holds 20 s, removes the filler. */
    private void fill(Host host) throws Exception {
        withFiller(host, filler -> {
            fillUntil(filler, host, 20 * MIB);
            Thread.sleep(20_000);
        });
    }

    /**
     * The incident where a release after the exit is the only way back: the sidecar is down (an OOM
     * kill, a bad deploy) while something else fills the disk below what the next start needs (local
     * recovery, start-up writes and the margin: a few MiB here), and then the broker is killed -9.
     * Systemd brings both back 5 s later; prestart must release enough ballast for the start, with the
     * filler still there. The filler is removed 20 s after the broker is back.
     */
    private void fullWithSidecarDown(Host host) throws Exception {
        withFiller(host, filler -> {
            host.killSidecar();
            fillUntil(filler, host, 2 * MIB);
            host.killBroker();
            Thread.sleep(5_000);
            host.startSidecar(host.config);
            restartBroker(host);
            Thread.sleep(20_000);
        });
    }

    private interface FillerUse {
        void run(Path filler) throws Exception;
    }

    /**
     * Runs {@code use} with a filler file on the host's disk (releases meanwhile are the design, not a
     * violation), removes the filler, and 5 s later starts a broker the guardian stopped meanwhile.
     */
    private void withFiller(Host host, FillerUse use) throws Exception {
        Path filler = host.disk.root().resolve("chaos-filler");
        host.filling = true;
        try {
            use.run(filler);
        } finally {
            Files.deleteIfExists(filler);
        }
        Thread.sleep(5_000);
        restartEndedBrokers();
        host.filling = false;
    }

    private static void fillUntil(Path filler, Host host, long usableBytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[(int) MIB];
            while (host.disk.dfAvailableBytes() > usableBytes) {
                f.write(block);
            }
            f.getFD().sync();
        } catch (IOException full) {
            // the disk filled while writing: the pressure is there
        }
    }

    /** A broker that ended without the bench killing it (a clean stop by its sidecar) is started again. */
    private void restartEndedBrokers() throws Exception {
        for (Host h : hosts) {
            ChildBroker b = h.broker();
            if (!b.isAlive() && !h.brokerDownOnPurpose) {
                boolean marker = Files.exists(b.logDirs().get(0).resolve(".kafka_cleanshutdown"));
                System.out.printf("host %d: broker ended by itself: exit %s, clean-shutdown marker %s%n", h.id, b.exitCode(), marker);
                if (marker) {
                    cleanStops++;
                }
                restartBroker(h);
            }
        }
    }

    private void restartBroker(Host host) throws Exception {
        restartBrokers(List.of(host));
    }

    /**
     * As systemd would on each host: prestart, then the start, on every host before waiting for any
     * (after a power loss no broker registers until a controller quorum is back); after an exit 10 the
     * start anyway, to learn whether it fitted.
     */
    private void restartBrokers(List<Host> down) throws Exception {
        Map<Host, CliRun> prestarts = new java.util.LinkedHashMap<>();
        for (Host host : down) {
            CliRun prestart = CliRun.of("prestart", "--config", host.config.toString(), "--output", "json");
            prestartExits.merge("exit " + prestart.exitCode(), 1, Integer::sum);
            System.out.printf("host %d: prestart exit %d%s%n", host.id, prestart.exitCode(), decision(prestart));
            recordRelease(host, releasedBytes(prestart) > 0);
            prestarts.put(host, prestart);
            host.brokerDownOnPurpose = false;
            host.broker().start();
        }
        for (Map.Entry<Host, CliRun> e : prestarts.entrySet()) {
            awaitStart(e.getKey(), e.getValue());
        }
    }

    /**
     * Kill -9 to the first release after it, once per kill: by prestart (known from its answer, as
     * the monitor may look only after the broker started again) or by the sidecar (seen by the monitor).
     */
    private synchronized void recordRelease(Host host, boolean released) {
        Instant killed = host.killedAt;
        if (released && killed != null) {
            releaseSeconds.add(Duration.between(killed, Instant.now()).toMillis() / 1000.0);
            host.killedAt = null;
        }
    }

    private static long releasedBytes(CliRun prestart) {
        try {
            return io.archiveguardian.guardian.json.Json.MAPPER.readTree(prestart.out()).path("filesystems").path(0)
                    .at("/decision/release_bytes").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    /** ": usable X, need Y (catch-up Z, source), outcome, released R" from prestart's JSON, or "" when it has none. */
    private static String decision(CliRun prestart) {
        try {
            com.fasterxml.jackson.databind.JsonNode fs = io.archiveguardian.guardian.json.Json.MAPPER.readTree(prestart.out())
                    .path("filesystems").path(0);
            if (fs.isMissingNode()) {
                return "";
            }
            return String.format(Locale.ROOT, ": usable %.1f MiB, need %.1f MiB (catch-up %.1f MiB, %s), %s, release %.1f MiB",
                    fs.path("usable_bytes").asLong() / (double) MIB, fs.at("/need/total_bytes").asLong() / (double) MIB,
                    fs.at("/need/catch_up_bytes").asLong() / (double) MIB, fs.at("/need/catch_up_source").asText(),
                    fs.at("/decision/outcome").asText(), fs.at("/decision/release_bytes").asLong() / (double) MIB);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitStart(Host host, CliRun prestart) throws Exception {
        try {
            host.broker().awaitStarted(Duration.ofSeconds(240));
            if (prestart.exitCode() == 10) {
                Thread.sleep(30_000);
                if (host.broker().isAlive()) {
                    violation("prestart exit 10 for a start that fitted", "host " + host.id + ": " + prestart.out());
                }
            }
        } catch (IllegalStateException e) {
            System.out.printf("host %d: the start failed (prestart exit %d): %s%n", host.id, prestart.exitCode(),
                    e.getMessage().lines().findFirst().orElse(""));
            if (prestart.exitCode() == 0) {
                violation("prestart exit 0 for a start that failed", "host " + host.id + ": " + e.getMessage());
            }
            CliRun.of("ballast", "release", "--config", host.config.toString(), "--all");
            host.broker().start();
            host.broker().awaitStarted(Duration.ofSeconds(240));
        }
    }

    private void awaitHealthyCluster() {
        try {
            cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(300));
        } catch (RuntimeException | AssertionError e) {
            violation("cluster not back in full ISR within 300 s", e.getMessage());
        }
    }

    /** Samples every host every 200 ms and records what breaks an invariant. */
    private void monitor() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (!stopping.get()) {
            for (Host h : hosts) {
                ChildBroker b = h.broker();
                boolean alive = b.isAlive();
                if (!alive) {
                    if (!h.brokerDownOnPurpose && h.lastBrokerDownNanos < System.nanoTime() - TimeUnit.SECONDS.toNanos(1)) {
                        boolean marker = Files.exists(b.logDirs().get(0).resolve(".kafka_cleanshutdown"));
                        if (!marker) {
                            violation("broker ended without its clean-shutdown marker", "host " + h.id + " exit " + b.exitCode());
                        }
                    }
                    h.lastBrokerDownNanos = System.nanoTime();
                }
                long ballast = h.ballastOnDisk();
                long before = h.ballastBytes;
                if (before >= 0 && ballast >= 0 && ballast < before) {
                    boolean aliveThroughout = alive && h.lastBrokerDownNanos < System.nanoTime() - POLL.toNanos() * 3;
                    if (aliveThroughout && !h.filling) {
                        violation("ballast released under a live broker", "host " + h.id + ": " + before + " -> " + ballast + " bytes");
                    }
                    recordRelease(h, !alive);
                }
                if (ballast >= 0) {
                    h.ballastBytes = ballast; // a read that raced a tier file's removal (-1) keeps the last good one
                }
                Process s = h.sidecar;
                // By process, not a flag: the monitor may read the process the bench just killed while a new one starts.
                if (s != null && !s.isAlive() && h.sidecarsKilledOnPurpose.add(s)) {
                    violation("sidecar exited by itself", "host " + h.id + " exit " + s.exitValue());
                }
                if (s != null && s.isAlive()) {
                    // As a kubelet's liveness probe on its defaults: three failures 10 s apart restart the container.
                    if (healthy(http, h)) {
                        h.answeredSinceStart = true;
                        h.lastHealthyNanos = System.nanoTime();
                    } else if (System.nanoTime() - h.lastHealthyNanos > TimeUnit.SECONDS.toNanos(30)) {
                        violation("sidecar did not answer /healthz for 30 s (a liveness probe would restart it)",
                                "host " + h.id + (h.answeredSinceStart ? "" : ", not yet after its start"));
                        h.lastHealthyNanos = System.nanoTime();
                    }
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean healthy(HttpClient http, Host h) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.httpPort + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void produceUntilStopped(ArchiveWorkload workload) {
        while (!stopping.get()) {
            try {
                workload.produceAtRate(cluster.bootstrapServers(), 128 * 1024, 8 * 1024, Duration.ofMinutes(60), stopping::get);
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.out.println("producer: " + e);
            }
        }
    }

    private synchronized void violation(String invariant, String detail) {
        System.out.printf("%s VIOLATION %s: %s%n", Instant.now(), invariant, detail);
        violations.computeIfAbsent(invariant, k -> new ArrayList<>()).add(detail);
    }

    private void report(ArchiveWorkload workload) {
        System.out.println();
        System.out.println("| fault | injected |");
        System.out.println("|---|---|");
        faults.forEach((f, c) -> System.out.printf("| %s | %d |%n", f.name().toLowerCase(Locale.ROOT).replace('_', ' '), c));
        System.out.printf("faults injected: %d; prestart: %s; clean stops by the guardian: %d; acknowledged records: %d%n",
                faults.values().stream().mapToInt(Integer::intValue).sum(), prestartExits, cleanStops, workload.acknowledgedCount());
        List<Double> sorted = releaseSeconds.stream().sorted().toList();
        if (!sorted.isEmpty()) {
            System.out.printf(Locale.ROOT, "kill -9 -> first release (5 s RestartSec included): %d, median %.1f s (min %.1f, max %.1f)%n",
                    sorted.size(), sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
        }
        System.out.printf("invariant violations: %d%n", violations.values().stream().mapToInt(List::size).sum());
        violations.forEach((k, v) -> System.out.printf("  %s: %d (%s)%n", k, v.size(), v.get(0)));
    }

    private Path writeConfig(int id, int httpPort, String bootstrap) throws IOException {
        Properties p = new Properties();
        p.setProperty("broker.config", cluster.broker(id).serverProperties().toString());
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("state.dir", work.resolve("state-" + id).toString());
        p.setProperty("http.listen", "127.0.0.1:" + httpPort);
        p.setProperty("scan.interval.ms", "1000");
        p.setProperty("broker.state.poll.ms", Long.toString(POLL.toMillis()));
        p.setProperty("forecast.min.span.ms", "20000");
        p.setProperty("growth.window.ms", "120000");
        p.setProperty("prestart.cluster.timeout.ms", "3000");
        p.setProperty("cluster.view.enabled", "false");
        p.setProperty("reserve.size", "24M");
        p.setProperty("reserve.rearm.delay.ms", "20000");
        p.setProperty("pressure.warn.floor.bytes", Long.toString(56 * MIB));
        p.setProperty("pressure.high.floor.bytes", Long.toString(40 * MIB));
        p.setProperty("pressure.critical.floor.bytes", Long.toString(24 * MIB));
        p.setProperty("pressure.hysteresis.bytes", Long.toString(4 * MIB));
        Path file = work.resolve("guardian-" + id + (bootstrap.equals(cluster.bootstrapServers()) ? "" : "-black-hole") + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private final AtomicBoolean closed = new AtomicBoolean();

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        hosts.forEach(Host::killSidecar);
        if (cluster != null) {
            cluster.close();
        }
        disks.forEach(SmallFilesystem::close);
    }
}
