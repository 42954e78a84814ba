package io.archiveguardian.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's rule file in a real Prometheus that scrapes a real sidecar ({@link SidecarServer},
 * as {@code guardian run} starts it) watching a real child broker on a real 128 MiB ext4, and a
 * real Alertmanager that notifies a webhook in this test:
 * <ol>
 *   <li>the disk is filled until the sidecar says critical: GuardianDiskPressureCritical fires;</li>
 *   <li>with ballast armed, the broker is killed with SIGKILL: GuardianBrokerStoppedUnclean fires,
 *       then GuardianBallastReleased (the sidecar released tiers for the recovery);</li>
 *   <li>the sidecar is stopped: GuardianDown fires.</li>
 * </ol>
 * Each alert is asserted through Prometheus's HTTP API and then as an Alertmanager notification
 * with its labels and runbook_url. Every dashboard query runs against the same Prometheus with
 * the dashboard's variables substituted and must return series. The only change to the rule
 * file: every {@code for:} is 2 s ({@link ShortForRules} checks nothing else differs).
 */
@Tag("broker")
class AlertsEndToEndTest {

    static final long MIB = 1024L * 1024L;
    static final String RATE_INTERVAL = "10s";
    static final Duration ALERT_WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @BeforeAll
    static void programs() {
        Programs.require(Programs.PROMETHEUS);
        Programs.require(Programs.ALERTMANAGER);
    }

    @Test
    void criticalPressureUncleanStopBallastReleaseAndADownGuardianAlertAndNotify() throws Exception {
        long t0 = System.nanoTime();
        Instant start = Instant.now().minusSeconds(5);
        Path logDir = disk.root().resolve("kafka-logs");
        Path filler = disk.root().resolve("other-data");
        try (WebhookReceiver webhook = WebhookReceiver.start();
             Alertmanager alertmanager = Alertmanager.start(tmp.resolve("alertmanager"), webhook.url());
             ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).logDir(1, logDir)
                     .property("log.segment.bytes", Long.toString(4 * MIB)).build().start()) {
            archive(cluster, 6 * MIB);
            Path config = guardianConfig(cluster);
            SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())));
            boolean sidecarRunning = true;
            String target = sidecar.baseUrl().substring("http://".length());
            Path rules = ShortForRules.write(tmp.resolve("guardian-rules.yml"), "2s");
            try (Prometheus prometheus = Prometheus.start(tmp.resolve("prometheus"), prometheusConfig(rules, target, alertmanager))) {
                System.out.printf("e2e: Prometheus, Alertmanager, broker and sidecar up after %.1f s%n", seconds(t0));
                await("Prometheus scrapes the sidecar and sees the broker running").atMost(Duration.ofSeconds(60))
                        .until(() -> Double.valueOf(1).equals(prometheus.value("guardian_broker_state{state=\"RUNNING\"}")));
                assertThat(prometheus.alerts("GuardianDiskPressureCritical")).isEmpty();

                // 1. Fill the disk (no ballast yet, so the sidecar has nothing to release) until critical.
                fill(filler, 4 * MIB);
                JsonNode critical = awaitFiring(prometheus, "GuardianDiskPressureCritical");
                assertThat(critical.path("labels").path("severity").asText()).isEqualTo("critical");
                assertThat(critical.path("labels").path("job").asText()).isEqualTo("guardian");
                assertThat(critical.path("labels").path("instance").asText()).isEqualTo(target);
                assertThat(critical.path("labels").path("mount").asText()).isEqualTo(disk.root().toString());
                assertThat(critical.path("labels").path("device").asText()).isNotBlank();
                assertThat(critical.path("annotations").path("description").asText()).contains(disk.root().toString(), target);
                System.out.printf("e2e: GuardianDiskPressureCritical firing after %.1f s%n", seconds(t0));
                awaitNotified(webhook, critical);

                // 2. Room again, ballast armed, the disk at high (not critical) pressure; then kill -9.
                Files.delete(filler);
                await("pressure below critical").atMost(ALERT_WAIT)
                        .until(() -> prometheus.value("max(guardian_disk_pressure_level)") < 3);
                StringWriter out = new StringWriter();
                int arm = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true),
                        "ballast", "arm", "--config", config.toString(), "--size", "32M", "--tiers", "4");
                assertThat(arm).as(out.toString()).isZero();
                fill(filler, 12 * MIB);
                await("Prometheus sees 32 MiB armed, nothing released").atMost(ALERT_WAIT).until(() ->
                        Double.valueOf(32 * MIB).equals(prometheus.value("sum(guardian_ballast_bytes{state=\"armed\"})"))
                                && Double.valueOf(0).equals(prometheus.value("sum(guardian_ballast_bytes{state=\"released\"})")));
                assertThat(prometheus.value("max(guardian_disk_pressure_level)")).isLessThan(3);
                assertThat(prometheus.alerts("GuardianBallastReleased")).as("released before the kill").isEmpty();
                assertThat(prometheus.alerts("GuardianBrokerStoppedUnclean")).isEmpty();

                cluster.broker(1).kill();
                JsonNode unclean = awaitFiring(prometheus, "GuardianBrokerStoppedUnclean");
                assertThat(unclean.path("labels").path("state").asText()).isEqualTo("STOPPED_UNCLEAN");
                assertThat(unclean.path("labels").path("instance").asText()).isEqualTo(target);
                System.out.printf("e2e: GuardianBrokerStoppedUnclean firing after %.1f s%n", seconds(t0));
                awaitNotified(webhook, unclean);
                JsonNode released = awaitFiring(prometheus, "GuardianBallastReleased");
                assertThat(released.path("labels").path("logdir").asText()).isEqualTo(logDir.toString());
                assertThat(released.path("labels").path("severity").asText()).isEqualTo("info");
                assertThat(prometheus.query("guardian_ballast_releases_total{trigger=\"unclean-shutdown\"}").path("data").path("result"))
                        .as("the release was the sidecar's answer to the unclean stop").isNotEmpty();
                System.out.printf("e2e: GuardianBallastReleased firing after %.1f s%n", seconds(t0));
                awaitNotified(webhook, released);

                // Every dashboard query, while the sidecar still answers, over everything seen so far.
                long q0 = System.nanoTime();
                everyDashboardQueryReturnsSeries(prometheus, start, target, logDir.toString());
                System.out.printf("e2e: every dashboard query checked in %.1f s%n", seconds(q0));

                // 3. The sidecar stops.
                sidecar.close();
                sidecarRunning = false;
                JsonNode down = awaitFiring(prometheus, "GuardianDown");
                assertThat(down.path("labels").path("instance").asText()).isEqualTo(target);
                assertThat(down.path("labels").path("severity").asText()).isEqualTo("warning");
                System.out.printf("e2e: GuardianDown firing after %.1f s%n", seconds(t0));
                awaitNotified(webhook, down);

                System.out.printf("e2e: all four alerts notified through Alertmanager by %.1f s%n", seconds(t0));
            } catch (AssertionError | RuntimeException e) {
                System.out.println("broker log tail:\n" + cluster.broker(1).tail(30));
                System.out.println("alertmanager log:\n" + alertmanager.log());
                webhook.alerts().forEach(a -> System.out.println("webhook got: " + a));
                throw e;
            } finally {
                if (sidecarRunning) {
                    sidecar.close();
                }
            }
        }
        System.out.printf("e2e: whole test %.1f s%n", seconds(t0));
    }

    @Test
    void aCleanStopBeforeAFullDiskFiresGuardianBrokerStoppedAndNotifies() throws Exception {
        long t0 = System.nanoTime();
        Path logDir = disk.root().resolve("kafka-logs");
        Path filler = disk.root().resolve("other-data");
        try (WebhookReceiver webhook = WebhookReceiver.start();
             Alertmanager alertmanager = Alertmanager.start(tmp.resolve("alertmanager"), webhook.url());
             ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).logDir(1, logDir)
                     .property("log.segment.bytes", Long.toString(4 * MIB)).build().start()) {
            archive(cluster, 6 * MIB);
            Path config = guardianConfig(cluster);
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.load(config,
                    Map.of("stop.enabled", "true"))))) {
                String target = sidecar.baseUrl().substring("http://".length());
                Path rules = ShortForRules.write(tmp.resolve("guardian-rules.yml"), "2s");
                try (Prometheus prometheus = Prometheus.start(tmp.resolve("prometheus"), prometheusConfig(rules, target, alertmanager))) {
                    await("Prometheus scrapes the sidecar and sees the broker running").atMost(Duration.ofSeconds(60))
                            .until(() -> Double.valueOf(1).equals(prometheus.value("guardian_broker_state{state=\"RUNNING\"}")));
                    assertThat(prometheus.alerts("GuardianBrokerStopped")).isEmpty();

                    // Other data fills the disk at tens of MiB/s: it would be full before a clean shutdown
                    // (stop.shutdown.time.ms + stop.margin.ms) could finish.
                    fill(filler, 8 * MIB);
                    JsonNode stopped = awaitFiring(prometheus, "GuardianBrokerStopped");
                    assertThat(stopped.path("labels").path("severity").asText()).isEqualTo("critical");
                    assertThat(stopped.path("labels").path("reason").asText()).isEqualTo("time-to-full");
                    assertThat(stopped.path("labels").path("outcome").asText()).isEqualTo("clean");
                    assertThat(stopped.path("labels").path("instance").asText()).isEqualTo(target);
                    assertThat(stopped.path("annotations").path("description").asText())
                            .contains(target, "time-to-full", ".kafka_cleanshutdown");
                    System.out.printf("e2e: GuardianBrokerStopped firing after %.1f s%n", seconds(t0));
                    awaitNotified(webhook, stopped);
                    assertThat(prometheus.alerts("GuardianBrokerStopFailed")).isEmpty();
                    assertThat(cluster.broker(1).awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
                    assertThat(logDir.resolve(".kafka_cleanshutdown")).exists();
                } catch (AssertionError | RuntimeException e) {
                    System.out.println("broker log tail:\n" + cluster.broker(1).tail(30));
                    webhook.alerts().forEach(a -> System.out.println("webhook got: " + a));
                    throw e;
                }
            }
        }
        System.out.printf("e2e: clean-stop test %.1f s%n", seconds(t0));
    }

    private void everyDashboardQueryReturnsSeries(Prometheus prometheus, Instant start, String instance, String logDir) {
        Dashboard dashboard = Dashboard.load();
        Map<String, String> variables = new HashMap<>();
        variables.put("job", "guardian");
        variables.put("instance", instance);
        variables.put("logdir", logDir);
        variables.put("__rate_interval", RATE_INTERVAL);
        Instant end = Instant.now().plusSeconds(1);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Dashboard.Target t : dashboard.targets()) {
            String query = Dashboard.substitute(t.expr(), variables);
            assertThat(query).as("every variable substituted").doesNotContain("$");
            JsonNode answer = prometheus.queryRangeRaw(query, start, end, 1);
            if (!"success".equals(answer.path("status").asText())) {
                problems.add(t.panelTitle() + " " + t.refId() + ": " + answer.path("error").asText() + " in " + query);
            } else if (answer.path("data").path("result").isEmpty()) {
                problems.add(t.panelTitle() + " " + t.refId() + ": no series for " + query);
            }
            checked++;
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
        for (JsonNode v : dashboard.variables()) {
            if (!v.has("definition")) {
                continue;
            }
            Matcher m = labelValues.matcher(v.path("definition").asText());
            assertThat(m.matches()).as(v.path("definition").asText()).isTrue();
            String selector = Dashboard.substitute(m.group(1), variables);
            List<String> values = new ArrayList<>();
            prometheus.series(selector, start, end).path("data").forEach(s -> values.add(s.path(m.group(2)).asText()));
            if (!values.contains(variables.get(v.path("name").asText()))) {
                problems.add("variable " + v.path("name").asText() + ": " + values + " from " + selector);
            }
            checked++;
        }
        assertThat(problems).as("dashboard queries that fail or return nothing").isEmpty();
        assertThat(checked).isGreaterThan(30);
        // and the check would see a typo: a misspelt metric has no series, bad syntax is an error
        assertThat(prometheus.queryRangeRaw("guardian_disk_presure_level", start, end, 1).path("data").path("result")).isEmpty();
        assertThat(prometheus.queryRangeRaw("rate(guardian_pass_failures_total)", start, end, 1).path("status").asText()).isEqualTo("error");
    }

    /**
     * Alertmanager posted the alert, firing, to the webhook: the same labels as in Prometheus, and
     * the rule's runbook_url.
     */
    private static void awaitNotified(WebhookReceiver webhook, JsonNode alert) {
        String name = alert.path("labels").path("alertname").asText();
        await("Alertmanager notifies the webhook of " + name).atMost(ALERT_WAIT).untilAsserted(() ->
                assertThat(webhook.alerts()).as(name).anySatisfy(n -> {
                    assertThat(n.path("status").asText()).isEqualTo("firing");
                    assertThat(n.path("labels")).isEqualTo(alert.path("labels"));
                    assertThat(n.path("annotations").path("runbook_url").asText())
                            .isEqualTo(runbookUrl(name))
                            .endsWith("docs/runbook-alerts.md#" + name.toLowerCase(java.util.Locale.ROOT));
                    assertThat(n.path("annotations").path("summary").asText()).endsWith(".");
                    assertThat(n.path("annotations").path("description").asText()).isNotBlank().doesNotContain("{{");
                }));
    }

    private static String runbookUrl(String alert) {
        return GrafanaFiles.alertRules().stream().filter(a -> a.path("alert").asText().equals(alert)).findFirst()
                .orElseThrow().path("annotations").path("runbook_url").asText();
    }

    private static JsonNode awaitFiring(Prometheus prometheus, String alert) {
        List<JsonNode> firing = new ArrayList<>();
        await(alert + " firing").atMost(ALERT_WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            firing.clear();
            firing.addAll(prometheus.firing(alert));
            return !firing.isEmpty();
        });
        assertThat(firing).hasSize(1);
        return firing.get(0);
    }

    /** Writes to the filler file, 1 MiB at a time and in steps the sidecar sees, until df avail <= left. */
    private void fill(Path file, long left) throws Exception {
        byte[] block = new byte[(int) MIB];
        new java.util.Random(7).nextBytes(block);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length());
            while (disk.filesystem().dfAvailableBytes() > left) {
                for (int i = 0; i < 4; i++) {
                    f.write(block);
                }
                f.getFD().sync();
                Thread.sleep(100);
            }
        }
        System.out.printf("e2e: filled; df avail %d KiB%n", disk.filesystem().dfAvailableBytes() / 1024);
    }

    private static void archive(ChildBrokerCluster cluster, long bytes) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 2, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = new byte[16 * 1024];
            new java.util.Random(3).nextBytes(value);
            for (long sent = 0; sent < bytes; sent += value.length) {
                producer.send(new ProducerRecord<>("archive", value));
            }
            producer.flush();
        }
    }

    private Path guardianConfig(ChildBrokerCluster cluster) throws Exception {
        Properties p = new Properties();
        p.setProperty("broker.config", cluster.broker(1).serverProperties().toString());
        p.setProperty("bootstrap.servers", cluster.bootstrapServers());
        p.setProperty("admin.timeout.ms", "3000");
        p.setProperty("http.listen", "127.0.0.1:0");
        p.setProperty("scan.interval.ms", "1000");
        p.setProperty("broker.state.poll.ms", "200");
        p.setProperty("state.dir", tmp.resolve("state").toString());
        p.setProperty("retention.topics", "archive");
        p.setProperty("drop.candidates.interval.ms", "10000");
        p.setProperty("forecast.window.ms", "60000");
        p.setProperty("forecast.min.span.ms", "2000");
        p.setProperty("growth.window.ms", "60000");
        p.setProperty("reserve.arm.max.used.percent", "99");
        // The test arms the ballast itself at a known moment; the sidecar's own auto-arm (tested in
        // SidecarAutoArmTest) would arm a small tier early and release it at the critical step.
        p.setProperty("reserve.auto.arm", "false");
        // The fills below take usable space under stop.min.usable.bytes with the broker running: the
        // clean stop (its own test below) would end the broker before the kill -9 this scenario needs.
        p.setProperty("stop.enabled", "false");
        // The next start needs more than the 12 MiB left usable and less than that plus the 32 MiB
        // of ballast: after the kill the sidecar releases tiers.
        p.setProperty("recovery.margin.min.bytes", Long.toString(24 * MIB));
        p.setProperty("recovery.margin.ratio", "0");
        // A 128 MiB disk is judged by ratio only: high from 80 % used, critical from 95 %.
        for (String level : new String[] {"warn", "high", "critical"}) {
            p.setProperty("pressure." + level + ".floor.bytes", "0");
            p.setProperty("pressure." + level + ".headroom.bytes", "0");
        }
        p.setProperty("pressure.warn.ratio", "0.70");
        p.setProperty("pressure.high.ratio", "0.80");
        p.setProperty("pressure.critical.ratio", "0.95");
        p.setProperty("pressure.hysteresis.bytes", "0");
        Path file = tmp.resolve("guardian.properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    private static String prometheusConfig(Path rules, String sidecar, Alertmanager alertmanager) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - '%s'
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['%s']
                scrape_configs:
                  - job_name: guardian
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules, alertmanager.hostPort(), sidecar);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
