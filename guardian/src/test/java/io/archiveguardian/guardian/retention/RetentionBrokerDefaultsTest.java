package io.archiveguardian.guardian.retention;

import static io.archiveguardian.guardian.retention.RetentionCommandTest.guardian;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.admin;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.bootstrap;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.createTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.retention.RetentionCommandTest.Run;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Brokers whose own defaults differ: a topic without an override is judged on every live broker,
 * not only on the broker that happens to answer its describe.
 */
@Tag("broker")
@ExtendWith(SharedRetentionCluster.class)
class RetentionBrokerDefaultsTest {

    static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");
    static final ConfigResource BROKER_1 = new ConfigResource(ConfigResource.Type.BROKER, "1");

    static RetentionAdmin retentionAdmin() {
        return new RetentionAdmin(admin(), bootstrap(), Duration.ofSeconds(15));
    }

    static Optional<RetentionValue> brokerMs(int broker) {
        return retentionAdmin().describeBrokers(List.of(broker)).brokers().get(0).retentionMs();
    }

    @Test
    void eachBrokersOwnDefaultIsReadWithItsSourceAndUnit() {
        DescribedBrokers described = retentionAdmin().describeBrokers(List.of(0, 1));

        assertThat(described.failures()).isEmpty();
        assertThat(described.brokers()).extracting(BrokerRetention::brokerId).containsExactly(0, 1);
        assertThat(described.brokers().get(0).retentionMs()).hasValue(
                new RetentionValue(604_800_000L, ValueSource.KAFKA_DEFAULT, "log.retention.hours=168 on broker 0"));
        assertThat(described.brokers().get(1).retentionBytes()).hasValue(
                new RetentionValue(-1L, ValueSource.KAFKA_DEFAULT, "log.retention.bytes=-1 on broker 1"));
    }

    @Test
    void aTopicInfiniteByTheClusterDefaultButFiniteOnOneBrokerIsDriftWhicheverBrokerAnswers() throws Exception {
        createTopic("brokers-differ", Map.of("retention.bytes", "-1"));
        SharedRetentionCluster.alter(CLUSTER_DEFAULT, "log.retention.ms", "-1");
        SharedRetentionCluster.alter(BROKER_1, "log.retention.ms", "3600000");
        try {
            await("both brokers apply their new defaults").atMost(Duration.ofSeconds(30)).until(() ->
                    brokerMs(0).map(RetentionValue::value).orElse(0L) == -1L
                            && brokerMs(1).map(RetentionValue::value).orElse(0L) == 3_600_000L);
            assertThat(brokerMs(0).orElseThrow().source()).isEqualTo(ValueSource.DYNAMIC_BROKER_DEFAULT);
            assertThat(brokerMs(1).orElseThrow()).isEqualTo(new RetentionValue(3_600_000L, ValueSource.DYNAMIC_BROKER,
                    "log.retention.ms=3600000 on broker 1"));

            for (int i = 0; i < 3; i++) {
                Run check = guardian("retention", "check", "--topics", "brokers-differ");
                assertThat(check.exitCode()).as(check.out() + check.err()).isEqualTo(3);
                assertThat(check.out()).contains("brokers-differ  drift\n",
                        "  retention.ms     3600000 (dynamic per-broker config: log.retention.ms=3600000");
            }
            Run apply = guardian("retention", "apply", "--yes", "--topics", "brokers-differ");
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            SharedRetentionCluster.awaitTopicConfig("brokers-differ", "retention.ms", "-1");
            assertThat(guardian("retention", "check", "--topics", "brokers-differ").exitCode()).isZero();
        } finally {
            SharedRetentionCluster.alter(BROKER_1, "log.retention.ms", null);
            SharedRetentionCluster.alter(CLUSTER_DEFAULT, "log.retention.ms", null);
            await("the defaults are back").atMost(Duration.ofSeconds(30)).until(() ->
                    brokerMs(0).map(RetentionValue::value).orElse(0L) == 604_800_000L
                            && brokerMs(1).map(RetentionValue::value).orElse(0L) == 604_800_000L);
        }
    }
}
