package io.archiveguardian.guardian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own file, directory and env config providers in the guardian's config file: any key's
 * value may come from a mounted secret or the environment, as in a broker's server.properties.
 */
class ConfigProvidersTest {

    static final String PROVIDERS = String.join("\n",
            "config.providers=file,dir,env",
            "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
            "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
            "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider", "");

    @TempDir
    Path tmp;

    @Test
    void everyKeyMayTakeItsValueFromAFileADirectoryOrTheEnvironment() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Path secret = Files.createDirectories(tmp.resolve("secret"));
        Files.writeString(secret.resolve("http-token"), "s3cret-from-a-mounted-secret\n");
        Files.writeString(tmp.resolve("cluster.properties"), "bootstrap=kafka-0.kafka:9092,kafka-1.kafka:9092\nscan=2500\n");
        Path config = tmp.resolve("guardian.properties");
        Files.writeString(config, PROVIDERS + String.join("\n",
                "log.dirs=" + logDir,
                "state.dir=" + tmp.resolve("state"),
                "http.token=${dir:" + secret + ":http-token}",
                "bootstrap.servers=${file:" + tmp.resolve("cluster.properties") + ":bootstrap}",
                "scan.interval.ms=${file:" + tmp.resolve("cluster.properties") + ":scan}",
                "host.name=${env:PATH}", ""));

        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.load(config, Map.of()));

        assertThat(settings.httpToken()).as("DirectoryConfigProvider: the file's content (a password is trimmed)")
                .hasValue("s3cret-from-a-mounted-secret");
        assertThat(settings.bootstrapServers()).hasValue("kafka-0.kafka:9092,kafka-1.kafka:9092");
        assertThat(settings.scanInterval().toMillis()).as("a typed key is validated after resolution").isEqualTo(2500);
        assertThat(settings.hostName()).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void aSecretThatCannotBeReadIsAConfigurationErrorNamingIt() throws Exception {
        Path missing = tmp.resolve("no-such-secret.properties");
        Files.writeString(tmp.resolve("guardian.properties"), PROVIDERS + "bootstrap.servers=${file:" + missing + ":bootstrap}\n");
        assertThatThrownBy(() -> GuardianConfig.load(tmp.resolve("guardian.properties"), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void providerKeysAreKnownButAMisspeltKeyBesideThemIsStillRefused() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("config.providers", "env",
                "config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "http.tokn", "${env:PATH}")))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("configuration: http.tokn: unknown key (did you mean http.token?)");
    }

    @Test
    void theTokenMayComeFromHttpTokenFileButNotFromBothPlaces() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Path token = tmp.resolve("token");
        Files.writeString(token, "  from-the-file\n");
        Map<String, String> base = Map.of("log.dirs", logDir.toString(), "state.dir", tmp.resolve("state").toString(),
                "http.token.file", token.toString());
        assertThat(SettingsResolver.resolve(GuardianConfig.of(base)).httpToken()).hasValue("from-the-file");

        Map<String, String> both = new java.util.HashMap<>(base);
        both.put("http.token", "inline");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(both)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("http.token and http.token.file=" + token);

        Files.writeString(token, "\n");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(base)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("is empty");
        Files.delete(token);
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(base)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("cannot be read");
    }
}
