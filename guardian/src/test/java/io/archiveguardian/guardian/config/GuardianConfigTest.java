package io.archiveguardian.guardian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardianConfigTest {

    @TempDir
    Path tmp;

    @Test
    void unknownKeysAreRejectedByName() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("scan.intervall.ms", "5000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("configuration: scan.intervall.ms: unknown key (did you mean scan.interval.ms?)")
                .hasMessageContaining("docs/configuration.md")
                .satisfies(e -> assertThat(((InvalidConfigException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void aWrongTypeNamesTheKeyTheValueAndTheType() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("scan.interval.ms", "ten seconds")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ten seconds")
                .hasMessageContaining("scan.interval.ms")
                .hasMessageContaining("LONG");
    }

    @Test
    void anOutOfRangeValueNamesTheAllowedRange() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("scan.interval.ms", "5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("scan.interval.ms")
                .hasMessageContaining("Value must be at least 100");
    }

    @Test
    void aBadListenAddressSaysWhatIsExpected() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("http.listen", "localhost")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("http.listen=localhost: expected HOST:PORT");
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("http.listen", "127.0.0.1:70000")))
                .hasMessageContaining("the port must be from 0 to 65535");
    }

    @Test
    void aMissingConfigFileIsAUsageError() {
        Path missing = tmp.resolve("nope.properties");
        assertThatThrownBy(() -> GuardianConfig.load(missing, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("--config " + missing + ": no such file. Give the path of an existing properties file.");
    }

    @Test
    void anUnreadableConfigFileIsAUsageError() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a-directory"));
        assertThatThrownBy(() -> GuardianConfig.load(dir, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("--config " + dir + " cannot be read");
    }

    @Test
    void logDirsComeFromTheBrokersServerProperties() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Path server = write("server.properties", "node.id=7\nlog.dirs=" + a + ", " + b + "\n"
                + "listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093\ncontroller.listener.names=CONTROLLER\n");
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("broker.config", server.toString())));
        assertThat(settings.logDirs()).containsExactly(a, b);
        assertThat(settings.nodeId()).hasValue(7);
        assertThat(settings.bootstrapServers()).hasValue("127.0.0.1:9092");
        assertThat(settings.httpListen()).isEqualTo(new HostPort("127.0.0.1", 9797));
    }

    @Test
    void logDirWinsOnlyWhenLogDirsIsAbsentAsInKafka() {
        BrokerProperties onlyLogDir = BrokerProperties.parse(Path.of("s"), Map.of("log.dir", "/data/one"));
        assertThat(onlyLogDir.logDirs()).containsExactly(Path.of("/data/one"));
        BrokerProperties both = BrokerProperties.parse(Path.of("s"), Map.of("log.dir", "/data/one", "log.dirs", "/data/two"));
        assertThat(both.logDirs()).containsExactly(Path.of("/data/two"));
        BrokerProperties neither = BrokerProperties.parse(Path.of("s"), Map.of());
        assertThat(neither.logDirs()).containsExactly(Path.of("/tmp/kafka-logs"));
    }

    @Test
    void advertisedListenersArePreferredAndControllerListenersSkipped() {
        BrokerProperties p = BrokerProperties.parse(Path.of("s"), Map.of(
                "listeners", "CONTROLLER://:9093,SASL_SSL://:9094",
                "advertised.listeners", "SASL_SSL://broker-1.example:9094",
                "controller.listener.names", "CONTROLLER"));
        assertThat(p.bootstrapServers()).hasValue("broker-1.example:9094");
    }

    @Test
    void aMissingLogDirIsAUsageErrorThatSaysWhatToDo() {
        Path missing = tmp.resolve("not-there");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", missing.toString()))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("log dir " + missing + " does not exist or is not a directory. "
                        + "Check log.dirs, or format the broker's storage first (kafka-storage.sh format).");
    }

    @Test
    void noLogDirsAtAllIsAUsageError() {
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(Map.of())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("No log dirs: give the broker's server.properties with --broker-config");
    }

    @Test
    void clusterOnlyCommandsResolveWithoutLogDirs() {
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("bootstrap.servers", "k1:9092")), false);
        assertThat(settings.logDirs()).isEmpty();
        assertThat(settings.bootstrapServers()).hasValue("k1:9092");
    }

    @Test
    void logDirsThatContradictTheBrokerConfigAreRejected() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path other = Files.createDirectory(tmp.resolve("other"));
        Path server = write("server.properties", "log.dirs=" + a + "\n");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "broker.config", server.toString(), "log.dirs", other.toString()))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("log.dirs [" + other + "] contradicts log.dirs [" + a + "]");
    }

    @Test
    void aNodeIdThatContradictsTheBrokerConfigIsRejected() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path server = write("server.properties", "log.dirs=" + a + "\nnode.id=1\n");
        assertThatThrownBy(() -> SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "broker.config", server.toString(), "node.id", "2"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("node.id 2 contradicts node.id 1");
    }

    @Test
    void commandConfigPropertiesPassThroughToTheAdminClient() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path admin = write("admin.properties", "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=ignored:1\n");
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                "log.dirs", a.toString(), "command.config", admin.toString(), "bootstrap.servers", "k1:9092")));
        assertThat(settings.adminProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKey("bootstrap.servers");
        assertThat(settings.bootstrapServers()).hasValue("k1:9092");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }
}
