package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.testsupport.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("broker")
class SidecarRetentionTest {

    @TempDir
    Path tmp;

    @Test
    void aPassRepairsRetentionDriftAndReportsItInMetricsEventsAndStatus() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(1); Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 1, (short) 1)
                    .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")))).all().get(30, TimeUnit.SECONDS);
            Path logDir = Files.createDirectory(tmp.resolve("logs"));
            Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(Map.of(
                    "log.dirs", logDir.toString(), "node.id", "0",
                    "bootstrap.servers", cluster.bootstrapServers(),
                    "retention.topics", "archive"))), new GuardianMetrics(), Clock.systemUTC());
            try {
                sidecar.runPass();
                assertThat(sidecar.metrics().scrape()).contains("guardian_retention_drift_topics 0.0");

                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "archive");
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry("retention.ms", "604800000"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
                sidecar.runPass();

                assertThat(sidecar.metrics().scrape()).contains("guardian_retention_repairs_total 1.0");
                assertThat(sidecar.events().recent()).extracting(StateChangeEvent::subject)
                        .contains("retention:archive");
                assertThat(sidecar.status()).get().satisfies(s -> assertThat(s.retention().repairCount()).isEqualTo(1));
                String value = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS)
                        .get(topic).get("retention.ms").value();
                assertThat(value).isEqualTo("-1");
            } finally {
                sidecar.close();
            }
        }
    }
}
