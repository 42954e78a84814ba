package io.archiveguardian.guardian.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.CliRun;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * For users with a Docker engine (run with -Pdocker): the retention check against the official
 * apache/kafka image. Without Docker, Testcontainers reports it skipped. Nothing relies on this
 * test alone: the same behaviour is tested against real in-process and child-process brokers.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class DockerKafkaRetentionTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void retentionCheckFindsAndApplyRepairsDriftOnTheOfficialImage() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic("archive", 1, (short) 1).configs(Map.of("retention.ms", "86400000"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        CliRun check = CliRun.of("retention", "check", "--bootstrap-server", KAFKA.getBootstrapServers(), "--topics", "archive");
        assertThat(check.exitCode()).isEqualTo(3);
        CliRun apply = CliRun.of("retention", "apply", "--bootstrap-server", KAFKA.getBootstrapServers(), "--topics", "archive", "--yes");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        CliRun again = CliRun.of("retention", "check", "--bootstrap-server", KAFKA.getBootstrapServers(), "--topics", "archive");
        assertThat(again.exitCode()).as(again.out()).isZero();
    }
}
