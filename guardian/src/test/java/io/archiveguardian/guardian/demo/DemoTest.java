package io.archiveguardian.guardian.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.testsupport.Commands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("broker")
class DemoTest {

    @TempDir
    Path tmp;

    @Test
    void demoServesGuardianMetricsWhoseFreeBytesAgreeWithDfAndStopsCleanly() throws Exception {
        Path dataDir = tmp.resolve("demo");
        HttpClient http = HttpClient.newHttpClient();
        Demo demo = Demo.start(dataDir, "127.0.0.1:0");
        try {
            String base = demo.sidecar().baseUrl();
            await("records acknowledged").atMost(Duration.ofSeconds(60)).until(() -> demo.acknowledgedRecords() > 20);
            demo.sidecar().sidecar().runPass();
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("guardian_broker_state{state=\"RUNNING\"} 1.0");
            long guardianFree = value(metrics, "guardian_disk_free_bytes");
            String[] df = Commands.check("df", "-B1", "--output=size,used", demo.broker().logDir().toString())
                    .trim().split("\n")[1].trim().split("\\s+");
            long dfFree = Long.parseLong(df[0]) - Long.parseLong(df[1]);
            // The shared disk moves while the broker and other processes write; 0.5% of its free space is plenty.
            assertThat((double) guardianFree).isCloseTo(dfFree, org.assertj.core.data.Percentage.withPercentage(0.5));
            assertThat(demo.banner()).contains(base + "/metrics", base + "/api/v1/status", "archive-demo", "64 MiB in 4 tiers");
            assertThat(metrics).contains("guardian_ballast_bytes{logdir=\"" + demo.broker().logDir() + "\",state=\"armed\"} 6.7108864E7")
                    .contains("guardian_retention_drift_topics 0.0")
                    .contains("guardian_recovery_need_bytes{mount=");
        } finally {
            demo.close();
        }
        assertThat(demo.broker().logDir().resolve(".kafka_cleanshutdown")).as("the broker stopped cleanly").exists();
    }

    private static long value(String metrics, String name) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*\\} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as(name).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
