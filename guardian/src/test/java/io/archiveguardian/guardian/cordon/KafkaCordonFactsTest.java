package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.testsupport.ChildBrokerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Kafka 4.3.1 behaviour docs/cordon.md builds on, checked on real brokers. When one of these
 * fails after a Kafka upgrade, the facts in docs/cordon.md need another look.
 */
@Tag("broker")
class KafkaCordonFactsTest {

    @Test
    void kafka20901WithRelativeLogDirsTheAbsolutePathIsRefusedAndTheRelativeOneIsAcceptedButNotEnforced() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).property("log.dirs", "rel-a,rel-b").build().start();
             Admin admin = cluster.admin()) {
            Map<String, Boolean> dirs = CordonFixture.reported(admin, 1);
            System.out.println("describeLogDirs names the relative log dirs as: " + dirs.keySet());
            String absoluteA = dirs.keySet().stream().filter(d -> d.endsWith("/rel-a")).findFirst().orElseThrow();

            assertThatThrownBy(() -> CordonFixture.alter(admin, 1, absoluteA, AlterConfigOp.OpType.APPEND))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class)
                    .hasMessage("requirement failed: All entries in cordoned.log.dirs must be present in log.dirs or "
                            + "log.dir. Missing entries : " + absoluteA);

            CordonFixture.alter(admin, 1, "rel-a", AlterConfigOp.OpType.APPEND);
            await().atMost(Duration.ofSeconds(30)).until(() -> CordonFixture.cordoned(admin, 1).equals("rel-a"));
            Thread.sleep(5_000); // more than two heartbeats (broker.heartbeat.interval.ms 2000)
            assertThat(CordonFixture.reported(admin, 1)).as("not enforced: the broker reports nothing cordoned")
                    .doesNotContainValue(true);
            admin.createTopics(List.of(new NewTopic("spread", 8, (short) 1))).all().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    CordonFixture.placement(admin, 1, "spread").values().stream().mapToInt(List::size).sum() == 8);
            System.out.println("placement with cordoned.log.dirs=rel-a: " + CordonFixture.placement(admin, 1, "spread"));
            assertThat(CordonFixture.placement(admin, 1, "spread").get(absoluteA)).as("partitions still land in rel-a").isNotEmpty();
        }
    }

    @Test
    void throughTheControllersACordonOfAStoppedBrokerCanOnlyShrinkAndDeletingItLiftsIt() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(3).build().start();
             Admin admin = cluster.admin()) {
            String dir = cluster.broker(1).logDirs().get(0).toString();
            CordonFixture.alter(admin, 1, dir, AlterConfigOp.OpType.APPEND);
            await().atMost(Duration.ofSeconds(30)).until(() -> CordonFixture.cordoned(admin, 1).equals(dir));
            cluster.broker(1).stop();

            String listeners = CordonFixture.serverProperty(cluster.broker(2), "listeners");
            String controller = listeners.substring(listeners.indexOf("CONTROLLER://") + "CONTROLLER://".length());
            try (Admin controllers = Admin.create(Map.of("bootstrap.controllers", controller,
                    "default.api.timeout.ms", "30000", "request.timeout.ms", "10000"))) {
                assertThatThrownBy(() -> CordonFixture.alter(controllers, 1, dir + "," + dir + "-more", AlterConfigOp.OpType.SET))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining("When updating cordoned.log.dirs via controllers,  the new value must be a subset "
                                + "of the current configuration value.");
            }
            // The command docs/cordon.md gives the operator, run as kafka-configs.sh runs it.
            CordonFixture.kafkaConfigs("--bootstrap-controller", controller, "--alter", "--entity-type", "brokers",
                    "--entity-name", "1", "--delete-config", "cordoned.log.dirs");
            // (describeConfigs of broker 1 through the controllers goes to node 1, which is down: look once it is back.)
            cluster.broker(1).start().awaitStarted(Duration.ofSeconds(120));
            await("the cordon deleted through the controllers is gone when the broker is back")
                    .atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> CordonFixture.cordoned(admin, 1).isEmpty());
            assertThat(CordonFixture.reported(admin, 1)).isEqualTo(Map.of(dir, false));
        }
    }

    @Test
    void kafka20441TheCordonReachesPlacementOnlyThroughTheBrokersHeartbeat() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).build().start();
             Admin admin = cluster.admin()) {
            String dir = cluster.broker(1).logDirs().get(0).toString();
            long start = System.nanoTime();
            CordonFixture.alter(admin, 1, dir, AlterConfigOp.OpType.APPEND);
            long altered = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> CordonFixture.cordoned(admin, 1).equals(dir));
            long described = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> CordonFixture.reported(admin, 1).get(dir));
            long reported = System.nanoTime();
            System.out.printf("alter returned after %d ms; describeConfigs showed it after %d ms; describeLogDirs "
                            + "isCordoned after %d ms%n", (altered - start) / 1_000_000, (described - start) / 1_000_000,
                    (reported - start) / 1_000_000);
            // Once the controller has it, no new replica may go there: the only log dir of the only broker.
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("nowhere", 1, (short) 1))).all().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("Unable to replicate the partition");
        }
    }
}
