package io.archiveguardian.guardian.clusterview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SASL/PLAIN cluster with KRaft's StandardAuthorizer. The sidecar's clients take their security
 * settings from --command-config (command.config) as a user that is not a super user and holds
 * exactly the ACLs docs/cluster-view.md lists: heartbeats, events and the Streams view all work.
 */
@Tag("broker")
class ClusterViewSaslTest {

    static final String USER = JaasUtils.KAFKA_PLAIN_USER1;

    @TempDir
    Path tmp;

    @Test
    void heartbeatsEventsAndStreamsWorkWithTheCommandConfigPropertiesOfAnOrdinaryUser() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false).setNumControllerNodes(1).setNumBrokerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        try (KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // The controller listener stays PLAINTEXT: its peers are ANONYMOUS there, and only there.
                .setConfigProp("super.users", "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + ";User:ANONYMOUS").build()) {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            try (Admin admin = kit.admin()) {
                admin.createAcls(documentedAcls()).all().get(30, TimeUnit.SECONDS);
            }
            Path commandConfig = tmp.resolve("client.properties");
            Files.writeString(commandConfig, String.join("\n",
                    "security.protocol=SASL_PLAINTEXT",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + USER + "\" password=\"" + JaasUtils.KAFKA_PLAIN_USER1_PASSWORD + "\";", ""));
            try (Admin asUser = io.archiveguardian.guardian.cluster.AdminClients.create(kit.bootstrapServers(),
                    GuardianConfig.readProperties(commandConfig, "--command-config"), Duration.ofSeconds(15))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> asUser.createTopics(List.of(
                                new org.apache.kafka.clients.admin.NewTopic("not-granted", 1, (short) 1))).all()
                                .get(30, TimeUnit.SECONDS))
                        .as("the authorizer holds the user to its ACLs")
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
            }
            int broker = kit.brokers().keySet().iterator().next();
            Map<String, Object> config = new HashMap<>();
            config.put(GuardianConfig.LOG_DIRS, String.join(",", kit.nodes().brokerNodes().get(broker).logDataDirectories()));
            config.put(GuardianConfig.NODE_ID, Integer.toString(broker));
            config.put(GuardianConfig.BOOTSTRAP_SERVERS, kit.bootstrapServers());
            config.put(GuardianConfig.COMMAND_CONFIG, commandConfig.toString());
            config.put(GuardianConfig.HTTP_LISTEN, "127.0.0.1:0");
            config.put(GuardianConfig.SCAN_INTERVAL_MS, "1000");
            config.put(GuardianConfig.STATE_DIR, tmp.resolve("state").toString());
            config.put(GuardianConfig.CLUSTER_PLACEMENT_REFRESH_MS, "2000");
            HttpClient http = HttpClient.newHttpClient();
            try (SidecarServer sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)))) {
                // Streams (as the user) reads the heartbeats (produced as the user) into the view.
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(sidecar.baseUrl() + "/api/v1/cluster/brokers/" + broker)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode b = Json.MAPPER.readTree(r.body());
                    assertThat(b.get("state").asText()).isEqualTo("alive");
                    assertThat(b.get("replicas").asInt()).as("placement read with the user's Admin client").isPositive();
                });
                // Events reached their topic, written by the user.
                List<String> events = new ArrayList<>();
                try (Admin admin = kit.admin(); KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        adminClientProperties(kit), new StringDeserializer(), new StringDeserializer())) {
                    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                            .contains("__guardian_heartbeats", "__guardian_events", "__guardian_placement");
                    consumer.subscribe(List.of("__guardian_events"));
                    await().atMost(Duration.ofMinutes(1)).until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(r -> events.add(r.value()));
                        return !events.isEmpty();
                    });
                }
                assertThat(Json.MAPPER.readTree(events.get(0)).get("broker").asInt()).isEqualTo(broker);
            }
        }
    }

    /** The consumer as the super user (the test kit's admin credentials). */
    private static Map<String, Object> adminClientProperties(KafkaClusterTestKit kit) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", kit.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
        p.put("group.id", "sasl-test-reader");
        p.put("auto.offset.reset", "earliest");
        return p;
    }

    /** What docs/cluster-view.md tells an operator to grant the sidecars' principal. */
    static List<AclBinding> documentedAcls() {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : List.of("__guardian_heartbeats", "__guardian_events", "__guardian_placement")) {
            for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.WRITE, AclOperation.READ)) {
                acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, op));
            }
        }
        acls.add(allow(ResourceType.TOPIC, "guardian-cluster-view-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(ResourceType.GROUP, "guardian-cluster-view", PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.DESCRIBE));
        acls.add(allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + USER, "*", op, AclPermissionType.ALLOW));
    }
}
