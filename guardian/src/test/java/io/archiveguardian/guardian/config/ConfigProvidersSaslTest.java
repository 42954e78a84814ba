package io.archiveguardian.guardian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.cluster.AdminClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SASL/PLAIN broker; the guardian's config names its command.config through a file provider,
 * and that file takes sasl.jaas.config from a mounted secret (FileConfigProvider) with nothing
 * secret written inline: the guardian's Admin client authenticates with the secret's password,
 * and a wrong password in the secret is refused by the broker (so the secret is what is used).
 */
@Tag("broker")
class ConfigProvidersSaslTest {

    @TempDir
    Path tmp;

    @Test
    void theAdminClientAuthenticatesWithTheJaasConfigOfAMountedSecret() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false).setNumControllerNodes(1).setNumBrokerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        try (KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes).build()) {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();

            Path secret = Files.createDirectories(tmp.resolve("secret"));
            Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
            Files.writeString(tmp.resolve("paths.properties"), "admin=" + tmp.resolve("admin.properties") + "\n");
            Files.writeString(tmp.resolve("admin.properties"), String.join("\n",
                    "config.providers=file",
                    "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                    "security.protocol=SASL_PLAINTEXT",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=${file:" + secret.resolve("jaas.properties") + ":sasl.jaas.config}", ""));
            Path config = tmp.resolve("guardian.properties");
            Files.writeString(config, ConfigProvidersTest.PROVIDERS + String.join("\n",
                    "log.dirs=" + logDir,
                    "state.dir=" + tmp.resolve("state"),
                    "bootstrap.servers=" + kit.bootstrapServers(),
                    "command.config=${file:" + tmp.resolve("paths.properties") + ":admin}", ""));

            writeSecret(secret, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
            GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.load(config, Map.of()));
            assertThat(settings.adminProperties()).as("resolved, and the provider declarations left out")
                    .doesNotContainKey("config.providers")
                    .containsEntry("sasl.jaas.config", jaas(JaasUtils.KAFKA_PLAIN_USER1_PASSWORD));
            try (Admin admin = AdminClients.create(settings)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }

            writeSecret(secret, "not-the-password");
            GuardianSettings wrong = SettingsResolver.resolve(GuardianConfig.load(config, Map.of()));
            try (Admin admin = AdminClients.create(wrong)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + JaasUtils.KAFKA_PLAIN_USER1 + "\" password=\"" + password + "\";";
    }

    private static void writeSecret(Path secret, String password) throws Exception {
        Files.writeString(secret.resolve("jaas.properties"), "sasl.jaas.config=" + jaas(password).replace("\"", "\\\"") + "\n");
    }
}
