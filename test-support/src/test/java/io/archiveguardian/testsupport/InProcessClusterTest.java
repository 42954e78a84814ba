package io.archiveguardian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("broker")
class InProcessClusterTest {

    @Test
    void threeBrokerClusterServesAReplicatedTopicAndSurvivesABrokerRestart() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3);
             Admin admin = cluster.admin()) {
            assertThat(cluster.brokerIds()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            admin.createTopics(List.of(new NewTopic("archive", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);

            cluster.stopBroker(2);
            await("broker 2 leaves the ISR").atMost(Duration.ofSeconds(60)).until(() -> isr(admin).size() == 2);

            cluster.startBroker(2);
            await("broker 2 rejoins the ISR").atMost(Duration.ofSeconds(60)).until(() -> isr(admin).size() == 3);
            assertThat(cluster.logDirs(2)).singleElement().satisfies(dir -> assertThat(dir).isDirectory());
        }
    }

    private static List<?> isr(Admin admin) throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("archive")).allTopicNames().get(10, TimeUnit.SECONDS);
        return topics.get("archive").partitions().get(0).isr();
    }
}
