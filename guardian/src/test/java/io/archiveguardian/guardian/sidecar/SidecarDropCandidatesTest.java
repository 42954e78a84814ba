package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
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

@Tag("broker")
class SidecarDropCandidatesTest {

    @TempDir
    Path tmp;

    @Test
    void theSidecarExportsSafeToDropBytesAndServesTheCandidatesWithVerdicts() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3); Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 2, (short) 3), new NewTopic("single", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            Properties props = new Properties();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            props.put("acks", "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 200; i++) {
                    producer.send(new ProducerRecord<>("archive", new byte[4096]));
                    producer.send(new ProducerRecord<>("single", new byte[4096]));
                }
            }
            int broker = admin.describeTopics(List.of("single")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("single").partitions().get(0).leader().id();
            Path logDir = cluster.logDirs(broker).get(0);
            var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                    "log.dirs", logDir.toString(), "node.id", Integer.toString(broker),
                    "bootstrap.servers", cluster.bootstrapServers(), "http.listen", "127.0.0.1:0",
                    "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString())));
            try (SidecarServer server = SidecarServer.start(settings)) {
                server.sidecar().runPass();
                double safe = SidecarTest.gauge(server.sidecar().metrics().scrape(), "guardian_drop_candidates_bytes",
                        "logdir=\"" + logDir + "\"");
                assertThat(safe).as("the RF=3 replicas here are safe to drop").isPositive();

                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/api/v1/drop-candidates?need=1M")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                JsonNode replicas = Json.MAPPER.readTree(ok.body()).get("replicas");
                assertThat(replicas).isNotEmpty();
                boolean sawUnsafeSingle = false;
                for (JsonNode r : replicas) {
                    assertThat(r.has("topic") && r.has("partition") && r.has("bytes") && r.has("safe") && r.has("reason")).isTrue();
                    if (r.get("topic").asText().equals("single")) {
                        assertThat(r.get("safe").asBoolean()).as("RF=1 is never safe").isFalse();
                        sawUnsafeSingle = true;
                    }
                }
                assertThat(sawUnsafeSingle).isTrue();
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/api/v1/drop-candidates?need=lots")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("need=lots");
            }
        }
    }
}
