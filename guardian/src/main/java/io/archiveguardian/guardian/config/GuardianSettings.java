package io.archiveguardian.guardian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The resolved settings one command works with: the guardian's configuration merged with what was
 * read from the broker's server.properties and the command line. Immutable.
 *
 * @param config           the validated guardian configuration (for capability-specific keys)
 * @param logDirs          the Kafka log dirs, in {@code log.dirs} order
 * @param nodeId           the broker's node id, when known
 * @param bootstrapServers the cluster to talk to; empty means cluster features are off
 * @param adminProperties  Admin client properties (from --command-config) without bootstrap.servers
 * @param brokerProperties the broker's server.properties (empty without --broker-config), for the
 *                         sizes the recovery model prices space with
 */
public record GuardianSettings(
        GuardianConfig config,
        List<Path> logDirs,
        OptionalInt nodeId,
        Optional<String> bootstrapServers,
        Map<String, String> adminProperties,
        Duration scanInterval,
        Duration adminTimeout,
        HostPort httpListen,
        Optional<String> httpToken,
        String hostName,
        Map<String, String> brokerProperties) {

    public GuardianSettings {
        logDirs = List.copyOf(logDirs);
        adminProperties = Map.copyOf(adminProperties);
        brokerProperties = Map.copyOf(brokerProperties);
    }
}
