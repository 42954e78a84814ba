package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.sidecar.Sidecar;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real brokers; the sidecar of broker 1 cordons broker 1's only log dir, so broker 1 is fully
 * cordoned. A new RF 2 topic then lands on brokers 2 and 3 only, and the sidecar touched no other
 * broker's config.
 */
@Tag("broker")
class CordonFullBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void aNewTopicAvoidsTheBrokerWhoseEveryLogDirTheSidecarCordoned() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).build().start();
             Admin admin = cluster.admin()) {
            String dir = cluster.broker(1).logDirs().get(0).toString();
            Path config = CordonFixture.config(tmp, cluster.broker(1), cluster.bootstrapServers(), CordonFixture.map(
                    "pressure.warn.ratio", "0.001", "pressure.high.ratio", "0.001"));
            try (Sidecar sidecar = CordonFixture.sidecar(config)) {
                sidecar.start();
                await("broker 1 reports its log dir cordoned").atMost(Duration.ofSeconds(90))
                        .until(() -> CordonFixture.reported(admin, 1).equals(Map.of(dir, true)));
                assertThat(CordonFixture.cordoned(admin, 1)).isEqualTo(dir);
                assertThat(CordonFixture.cordoned(admin, 2)).as("each sidecar acts only on its own broker").isEmpty();
                assertThat(CordonFixture.cordoned(admin, 3)).isEmpty();

                admin.createTopics(List.of(new NewTopic("rf2", 6, (short) 2))).all().get(60, TimeUnit.SECONDS);
                // The broker answering may not have the new topic's metadata yet: ask until it does.
                await("the new topic is described").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    TopicDescription d = admin.describeTopics(List.of("rf2")).allTopicNames().get(10, TimeUnit.SECONDS).get("rf2");
                    assertThat(d.partitions()).hasSize(6).allSatisfy(p ->
                            assertThat(p.replicas().stream().map(Node::id)).containsExactlyInAnyOrder(2, 3));
                });
            }
        }
    }
}
