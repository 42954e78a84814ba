package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every Kafka-facing command shares, named as in Kafka's own tools. Each one mirrors a
 * configuration key with the same meaning and wins over the {@code --config} file.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The guardian's own properties file (keys: docs/configuration.md).")
    Path config;

    @Option(names = "--broker-config", paramLabel = "FILE",
            description = "The broker's server.properties; log.dirs, node.id and listeners are read from it.")
    Path brokerConfig;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: from the broker's listeners).")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Admin client properties (security.protocol, sasl.*, ssl.*), as in Kafka's tools.")
    Path commandConfig;

    @Option(names = "--log-dirs", paramLabel = "DIR[,DIR...]", split = ",",
            description = "Kafka log dirs (default: from --broker-config).")
    List<Path> logDirs;

    /**
     * These options as given, paths made absolute, for a command printed to be run next (prestart's
     * drop command) so that it reaches the same broker and cluster.
     */
    public String asArguments() {
        StringBuilder out = new StringBuilder();
        if (config != null) {
            out.append(" --config ").append(config.toAbsolutePath());
        }
        if (brokerConfig != null) {
            out.append(" --broker-config ").append(brokerConfig.toAbsolutePath());
        }
        if (bootstrapServer != null) {
            out.append(" --bootstrap-server ").append(bootstrapServer);
        }
        if (commandConfig != null) {
            out.append(" --command-config ").append(commandConfig.toAbsolutePath());
        }
        if (logDirs != null) {
            out.append(" --log-dirs ").append(String.join(",", logDirs.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        }
        return out.toString().trim();
    }

    /** The validated configuration: the --config file plus these options. */
    public GuardianConfig config(Map<String, Object> extra) {
        Map<String, Object> overrides = new HashMap<>(extra);
        if (brokerConfig != null) {
            overrides.put(GuardianConfig.BROKER_CONFIG, brokerConfig.toString());
        }
        if (bootstrapServer != null) {
            overrides.put(GuardianConfig.BOOTSTRAP_SERVERS, bootstrapServer);
        }
        if (commandConfig != null) {
            overrides.put(GuardianConfig.COMMAND_CONFIG, commandConfig.toString());
        }
        if (logDirs != null) {
            overrides.put(GuardianConfig.LOG_DIRS, String.join(",", logDirs.stream().map(Path::toString).toList()));
        }
        return config == null ? GuardianConfig.of(overrides) : GuardianConfig.load(config, overrides);
    }

    public GuardianSettings settings() {
        return settings(Map.of());
    }

    public GuardianSettings settings(Map<String, Object> extra) {
        return SettingsResolver.resolve(config(extra));
    }
}
