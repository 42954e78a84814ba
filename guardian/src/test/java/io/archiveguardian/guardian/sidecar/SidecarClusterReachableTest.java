package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.cluster.ClusterReachability;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.testsupport.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guardian_cluster_reachable says whether the cluster answers the sidecar's cluster rounds: NaN with
 * no cluster, 0 for a silent one (a socket that accepts and never answers), 1 for a real broker;
 * the log says it once when the cluster stops answering and once when it is back.
 */
@Tag("broker")
class SidecarClusterReachableTest {

    @TempDir
    Path tmp;

    private Sidecar sidecar(Map<String, String> extra) throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        Map<String, String> config = new HashMap<>(Map.of("log.dirs", logDir.toString(), "node.id", "0",
                "state.dir", tmp.resolve("state").toString(), "admin.timeout.ms", "1000", "reserve.auto.arm", "false",
                "cluster.view.enabled", "false"));
        config.putAll(extra);
        return new Sidecar(SettingsResolver.resolve(GuardianConfig.of(new HashMap<>(config))), new GuardianMetrics(),
                Clock.systemUTC());
    }

    @Test
    void noClusterIsNaNASilentOneIsZeroAndARealBrokerIsOne() throws Exception {
        Sidecar alone = sidecar(Map.of());
        try {
            alone.runPass();
            assertThat(alone.metrics().scrape()).contains("guardian_cluster_reachable NaN");
            assertThat(alone.status().orElseThrow().cluster()).as("no cluster, no cluster section").isNull();
        } finally {
            alone.close();
        }

        List<String> said = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LogManager.getLogger(ClusterConnection.class);
        AbstractAppender capture = new AbstractAppender("capture-reachable", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                said.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        logger.addAppender(capture);
        try (BlackHole silent = new BlackHole()) {
            Sidecar cutOff = sidecar(Map.of("bootstrap.servers", silent.address()));
            try {
                cutOff.runPass();
                await("the probe times out").atMost(Duration.ofSeconds(30))
                        .until(() -> cutOff.metrics().scrape().contains("guardian_cluster_reachable 0.0"));
                cutOff.runPass();
                await("the second probe times out too").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(1500))
                        .until(() -> cutOff.metrics().scrape().contains("guardian_cluster_reachable 0.0"));
                assertThat(silent.accepted()).as("the sidecar did try").isPositive();
                await("the second probe's answer keeps the first one's since").atMost(Duration.ofSeconds(30)).until(() -> {
                    ClusterReachability c = cutOff.status().orElseThrow().cluster();
                    return c.checkedAt() != null && c.checkedAt().isAfter(c.since());
                });
                ClusterReachability r = cutOff.status().orElseThrow().cluster();
                assertThat(r.reachable()).isFalse();
                assertThat(r.bootstrapServers()).isEqualTo(silent.address());
                assertThat(r.detail()).contains("could not describe the cluster within 1000 ms (admin.timeout.ms)");
            } finally {
                cutOff.close();
            }
        } finally {
            logger.removeAppender(capture);
        }
        assertThat(said).filteredOn(s -> s.contains("the cluster does not answer")).as("said once, not every round")
                .singleElement().satisfies(s -> assertThat(s).startsWith("WARN ")
                        .contains("could not describe the cluster within 1000 ms (admin.timeout.ms): the cluster did not answer")
                        .contains("the local guard goes on"));

        try (InProcessCluster cluster = InProcessCluster.start(1)) {
            Sidecar connected = sidecar(Map.of("bootstrap.servers", cluster.bootstrapServers()));
            try {
                connected.runPass();
                await("the cluster answers").atMost(Duration.ofSeconds(30))
                        .until(() -> connected.metrics().scrape().contains("guardian_cluster_reachable 1.0"));
                ClusterReachability r = connected.status().orElseThrow().cluster();
                assertThat(r.reachable()).isTrue();
                assertThat(r.clusterId()).isNotBlank();
                assertThat(r.detail()).isNull();
            } finally {
                connected.close();
            }
        }
    }
}
