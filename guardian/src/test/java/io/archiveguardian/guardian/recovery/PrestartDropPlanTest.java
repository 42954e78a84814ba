package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit 10 with the cluster reachable: prestart prints the replicas that are safe to drop. */
@Tag("broker")
class PrestartDropPlanTest {

    @TempDir
    Path tmp;

    @Test
    void whenNothingFitsPrestartPrintsTheDropPlanFromTheLiveCluster() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3); Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 2, (short) 3))).all().get(30, TimeUnit.SECONDS);
            Properties props = new Properties();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            props.put("acks", "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>("archive", new byte[8192]));
                }
            }
            Path logDir = cluster.logDirs(2).get(0);
            cluster.stopBroker(2);
            Path config = tmp.resolve("guardian.properties");
            // A margin no disk can hold: the start cannot fit, whatever the ballast.
            Files.writeString(config, "log.dirs=" + logDir + "\nnode.id=2\nbootstrap.servers=" + cluster.bootstrapServers()
                    + "\nstate.dir=" + tmp.resolve("state") + "\nrecovery.margin.min.bytes=" + (1L << 50) + "\n");

            CliRun text = CliRun.of("prestart", "--config", config.toString());
            System.out.println(text.out());
            assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(10);
            assertThat(text.out()).contains("The replicas that are safe to drop, ranked (nothing has been changed):")
                    .contains("archive-0").contains("guardian drop --logdir " + logDir);

            CliRun json = CliRun.of("prestart", "--config", config.toString(), "--output", "json");
            assertThat(json.exitCode()).isEqualTo(10);
            JsonNode replicas = Json.MAPPER.readTree(json.out()).at("/drop_plan/replicas");
            assertThat(replicas).isNotEmpty();
            assertThat(replicas.get(0).has("safe")).isTrue();
            assertThat(replicas.get(0).has("reason")).isTrue();
        }
    }
}
