package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.ballast.ArmGate;
import io.archiveguardian.guardian.ballast.UnderReplication;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SidecarBallastTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @Test
    void theSidecarReportsReleasesMadeByTheCliAndOverHttpAndReArmsOnlyOnceTheBrokerRunsSteadily() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        CliRun arm = CliRun.of("ballast", "arm", "--logdir", logDir.toString(), "--size", "16M", "--tiers", "4");
        assertThat(arm.exitCode()).as(arm.err()).isZero();

        var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "log.dirs", logDir.toString(), "http.listen", "127.0.0.1:0", "http.token", "t0ken",
                "scan.interval.ms", "60000", "reserve.rearm.delay.ms", "0", "broker.state.poll.ms", "100")));
        try (SidecarServer server = SidecarServer.start(settings)) {
            Sidecar sidecar = server.sidecar();
            sidecar.runPass();
            String labels = "logdir=\"" + logDir + "\",state=\"armed\"";
            assertThat(SidecarTest.gauge(sidecar.metrics().scrape(), "guardian_ballast_bytes", labels)).isEqualTo(16 * MIB);

            CliRun release = CliRun.of("ballast", "release", "--logdir", logDir.toString(), "--tiers", "1", "--reason", "test nudge");
            assertThat(release.exitCode()).as(release.err()).isZero();
            sidecar.runPass();
            String scrape = sidecar.metrics().scrape();
            assertThat(SidecarTest.gauge(scrape, "guardian_ballast_bytes", labels)).isEqualTo(12 * MIB);
            assertThat(scrape).contains("guardian_ballast_releases_total{logdir=\"" + logDir + "\",trigger=\"manual\"} 1.0");
            assertThat(sidecar.events().recent()).extracting(StateChangeEvent::subject, StateChangeEvent::state)
                    .contains(org.assertj.core.groups.Tuple.tuple("ballast:" + logDir, "PARTIAL"));

            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(server.baseUrl() + "/api/v1/ballast/release?tiers=1&reason=on%20call");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer t0ken")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"released_bytes\" : " + 4 * MIB);
            assertThat(SidecarTest.gauge(sidecar.metrics().scrape(), "guardian_ballast_bytes", labels)).isEqualTo(8 * MIB);

            // The log dir is not a formatted broker's: no re-arm while the broker is not running.
            sidecar.runPass();
            assertThat(SidecarTest.gauge(sidecar.metrics().scrape(), "guardian_ballast_bytes", labels)).isEqualTo(8 * MIB);
            // The cluster (none here) cannot say: without a measured write rate nothing is re-armed.
            UnderReplication.Answer cannotSay = new UnderReplication.Answer(UnderReplication.Verdict.CANNOT_SAY,
                    java.time.Instant.now(), java.util.List.of(), 0, "no cluster");
            for (int pass = 0; pass < 3; pass++) {
                sidecar.ballast().maybeArm(BrokerState.RUNNING, Map.of(), cannotSay);
            }
            assertThat(SidecarTest.gauge(sidecar.metrics().scrape(), "guardian_ballast_bytes", labels)).isEqualTo(8 * MIB);
            assertThat(sidecar.ballast().decisions().values()).extracting(ArmGate.Decision::reason)
                    .containsExactly("the cluster cannot say (no cluster) and the write rate is not measured yet");
            // The cluster says the broker has no under-replicated partitions: one tier per pass. The
            // broker runs now for the guard too (it holds .lock), or the re-arm would give way at once.
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(logDir.resolve(".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock lock = ch.tryLock()) {
                org.awaitility.Awaitility.await("the guard sees the broker running").atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> sidecar.runPass().brokerState() == BrokerState.RUNNING);
                Thread.sleep(300); // three guard ticks at broker.state.poll.ms=100
                UnderReplication.Answer none = new UnderReplication.Answer(UnderReplication.Verdict.NONE,
                        java.time.Instant.now(), java.util.List.of(), 0, "no under-replicated partition");
                sidecar.ballast().maybeArm(BrokerState.RUNNING, Map.of(), none);
                assertThat(SidecarTest.gauge(sidecar.metrics().scrape(), "guardian_ballast_bytes", labels))
                        .as("one tier re-armed after three running passes").isEqualTo(12 * MIB);
            }
        }
    }
}
