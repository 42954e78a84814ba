package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import io.archiveguardian.testsupport.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that cannot cordon (formatted at 4.2-IV1) and a cluster that does not answer: the
 * sidecar says so once, clearly, and its local passes go on.
 */
@Tag("broker")
class CordonUnsupportedTest {

    @TempDir
    Path tmp;

    /** Every disk is at high pressure: the sidecar wants to cordon at once. */
    private static final Map<String, String> ALWAYS_HIGH = CordonFixture.map(
            "pressure.warn.ratio", "0.001", "pressure.high.ratio", "0.001");

    @Test
    void onAMetadataVersionWithoutCordoningTheSidecarReportsItOnceGoesOnAndCordonsAfterTheUpgrade() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).releaseVersion("4.2-IV1").build().start();
             Admin admin = cluster.admin()) {
            String dir = cluster.broker(1).logDirs().get(0).toString();
            // The Kafka fact the guardian relies on: before 4.3-IV0 the controller refuses the config.
            assertThatThrownBy(() -> CordonFixture.alter(admin, 1, dir, AlterConfigOp.OpType.APPEND))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("The cordoned.log.dirs configuration value cannot be set because it requires "
                            + "metadata.version >= 4.3-IV0");

            try (Sidecar sidecar = CordonFixture.sidecar(CordonFixture.config(tmp, cluster.broker(1),
                    cluster.bootstrapServers(), ALWAYS_HIGH))) {
                sidecar.start();
                await("the sidecar reports the cluster cannot cordon").atMost(Duration.ofSeconds(60)).until(() ->
                        sidecar.status().map(StatusReport::cordon).map(c -> c.state().equals("unsupported")).orElse(false));
                assertThat(sidecar.status().orElseThrow().cordon().detail()).isEqualTo("this cluster cannot cordon log "
                        + "dirs: metadata.version is at feature level 29. Cordoning (KIP-1066) needs metadata.version 4.3-IV0 "
                        + "(feature level 30) or later: kafka-features.sh upgrade --metadata 4.3. Local duties go on; the "
                        + "guardian cordons once the cluster is upgraded.");
                Instant seen = sidecar.status().orElseThrow().observation().time();
                await("local passes go on").atMost(Duration.ofSeconds(30)).until(() ->
                        sidecar.status().orElseThrow().observation().time().isAfter(seen.plusSeconds(3)));
                assertThat(sidecar.healthy()).isTrue();
                assertThat(sidecar.events().recent().stream().filter(e -> e.subject().equals("cordon")).map(StateChangeEvent::state))
                        .as("reported once").containsExactly("unsupported");
                assertThat(CordonFixture.cordoned(admin, 1)).isEmpty();

                admin.updateFeatures(Map.of("metadata.version", new FeatureUpdate(CordonAdmin.CORDON_METADATA_LEVEL,
                        FeatureUpdate.UpgradeType.UPGRADE)), new UpdateFeaturesOptions()).all().get(60, TimeUnit.SECONDS);
                await("after the upgrade the sidecar cordons").atMost(Duration.ofSeconds(60))
                        .until(() -> CordonFixture.cordoned(admin, 1).equals(dir));
                await().atMost(Duration.ofSeconds(30)).until(() -> sidecar.status().orElseThrow().cordon().state().equals("active"));
            }
        }
    }

    @Test
    void aClusterThatDoesNotAnswerIsAnErrorInTheStatusAndThePassDoesNotWaitForIt() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).build().start()) {
            // The broker runs (its log dir is locked), but the guardian is pointed at a port nobody answers.
            String nowhere = "127.0.0.1:" + Ports.free();
            Map<String, String> extra = CordonFixture.map("admin.timeout.ms", "20000");
            extra.putAll(ALWAYS_HIGH);
            try (Sidecar sidecar = CordonFixture.sidecar(CordonFixture.config(tmp, cluster.broker(1), nowhere, extra))) {
                long start = System.nanoTime();
                sidecar.runPass();
                long firstPassMs = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                sidecar.runPass();
                long secondPassMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("passes with an unreachable cluster: %d ms and %d ms (admin.timeout.ms 20000)%n",
                        firstPassMs, secondPassMs);
                assertThat(secondPassMs).as("a pass while the cordon duty waits on the cluster").isLessThan(10_000);
                await("the cordon duty gives up within admin.timeout.ms").atMost(Duration.ofSeconds(90)).until(() -> {
                    sidecar.runPass();
                    return sidecar.status().orElseThrow().cordon() != null;
                });
                var cordon = sidecar.status().orElseThrow().cordon();
                assertThat(cordon.state()).isEqualTo("error");
                assertThat(cordon.detail()).startsWith("could not describe the config of broker 1 within 20000 ms "
                        + "(admin.timeout.ms): the cluster did not answer");
                assertThat(sidecar.status().orElseThrow().observation().brokerState().name()).isEqualTo("RUNNING");
                assertThat(sidecar.ready()).isTrue();
            }
        }
    }
}
