package io.archiveguardian.guardian.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.types.Password;

/**
 * Turns a validated {@link GuardianConfig} into {@link GuardianSettings}: reads the broker's
 * server.properties and the Admin client properties, and checks that the result makes sense
 * (log dirs given and present, no contradictions). Every failure is an
 * {@link InvalidConfigException} (exit code 2) and nothing has been changed.
 */
public final class SettingsResolver {

    private SettingsResolver() {
    }

    /** Resolves settings for a command that needs log dirs that exist. */
    public static GuardianSettings resolve(GuardianConfig config) {
        return resolve(config, true);
    }

    /**
     * @param requireLogDirs false for commands that only talk to the cluster (retention): log dirs
     *                       may then be absent or not exist yet
     */
    public static GuardianSettings resolve(GuardianConfig config, boolean requireLogDirs) {
        String brokerConfig = config.getString(GuardianConfig.BROKER_CONFIG);
        Optional<BrokerProperties> broker = brokerConfig.isBlank()
                ? Optional.empty() : Optional.of(BrokerProperties.read(Path.of(brokerConfig)));

        List<Path> configured = config.getList(GuardianConfig.LOG_DIRS).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).map(Path::normalize)
                .collect(Collectors.toList());
        List<Path> logDirs = logDirs(configured, broker, requireLogDirs);
        if (requireLogDirs) {
            checkLogDirs(logDirs, broker.filter(BrokerProperties::logDirsDefaulted));
        }

        int configuredNode = config.getInt(GuardianConfig.NODE_ID);
        OptionalInt nodeId = nodeId(configuredNode, broker);

        String bootstrap = config.getString(GuardianConfig.BOOTSTRAP_SERVERS).trim();
        Optional<String> bootstrapServers = bootstrap.isEmpty()
                ? broker.flatMap(BrokerProperties::bootstrapServers) : Optional.of(bootstrap);
        bootstrapServers.ifPresent(b -> checkBootstrapSyntax(b, bootstrap.isEmpty()));

        Map<String, String> admin = new HashMap<>();
        String commandConfig = config.getString(GuardianConfig.COMMAND_CONFIG);
        if (!commandConfig.isBlank()) {
            admin.putAll(ConfigProviders.resolve(GuardianConfig.readProperties(Path.of(commandConfig), "--command-config"),
                    "--command-config " + commandConfig));
            admin.remove("bootstrap.servers");
        }
        if (bootstrap.isEmpty() && broker.isPresent() && !admin.containsKey("security.protocol")) {
            // Derived from the broker's listener: speak that listener's protocol.
            broker.get().bootstrapSecurityProtocol().ifPresent(p -> admin.put("security.protocol", p));
        }

        checkStateDir(config.getString(GuardianConfig.STATE_DIR), logDirs);
        Optional<String> token = httpToken(config);
        return new GuardianSettings(
                config,
                logDirs,
                nodeId,
                bootstrapServers,
                admin,
                Duration.ofMillis(config.getLong(GuardianConfig.SCAN_INTERVAL_MS)),
                Duration.ofMillis(config.getInt(GuardianConfig.ADMIN_TIMEOUT_MS)),
                HostPort.parse(GuardianConfig.HTTP_LISTEN, config.getString(GuardianConfig.HTTP_LISTEN)),
                token,
                hostName(config.getString(GuardianConfig.HOST_NAME)),
                broker.map(BrokerProperties::properties).orElse(Map.of()));
    }

    /** http.token, or the content of http.token.file; both set is a contradiction (exit 2). */
    static Optional<String> httpToken(GuardianConfig config) {
        Password inline = config.getPassword(GuardianConfig.HTTP_TOKEN);
        String file = config.getString(GuardianConfig.HTTP_TOKEN_FILE).trim();
        boolean hasInline = inline != null && !inline.value().isEmpty();
        if (file.isEmpty()) {
            return hasInline ? Optional.of(inline.value()) : Optional.empty();
        }
        if (hasInline) {
            throw new InvalidConfigException("http.token and http.token.file=" + file + " are both set. Keep one: "
                    + "http.token.file for a mounted secret, or http.token (which may itself be ${file:...}).");
        }
        String token;
        try {
            token = Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new InvalidConfigException("http.token.file=" + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "). Give a readable file holding the token, or unset http.token.file.", e);
        }
        if (token.isEmpty()) {
            throw new InvalidConfigException("http.token.file=" + file + " is empty. Put the token in it, or unset "
                    + "http.token.file (the state-changing endpoints then answer 403).");
        }
        return Optional.of(token);
    }

    /**
     * Syntax only (exit 2 at start): HOST:PORT entries with a port from 1 to 65535. Whether a host
     * resolves or answers is the cluster's availability, judged later and never fatal.
     */
    static void checkBootstrapSyntax(String servers, boolean derived) {
        String source = derived ? "the bootstrap address derived from the broker's listeners" : GuardianConfig.BOOTSTRAP_SERVERS;
        for (String entry : servers.split(",")) {
            String e = entry.trim();
            String host = org.apache.kafka.common.utils.Utils.getHost(e);
            Integer port = org.apache.kafka.common.utils.Utils.getPort(e);
            if (e.isEmpty() || host == null || host.isEmpty() || port == null || port < 1 || port > 65535) {
                throw new InvalidConfigException(source + " '" + servers + "' has an invalid entry '" + e
                        + "'. Give HOST:PORT entries separated by commas, for example broker-1:9092,broker-2:9092.");
            }
        }
    }

    private static List<Path> logDirs(List<Path> configured, Optional<BrokerProperties> broker, boolean required) {
        if (broker.isEmpty()) {
            if (configured.isEmpty() && required) {
                throw new InvalidConfigException("No log dirs: give the broker's server.properties with "
                        + "--broker-config (or broker.config), or list the directories in log.dirs.");
            }
            return configured;
        }
        List<Path> fromBroker = broker.get().logDirs();
        if (!configured.isEmpty() && !new LinkedHashSet<>(configured).equals(new LinkedHashSet<>(fromBroker))) {
            throw new InvalidConfigException("log.dirs " + configured + " contradicts log.dirs " + fromBroker
                    + " in " + broker.get().file() + ". Remove log.dirs from the guardian's config "
                    + "or make both name the same directories.");
        }
        return fromBroker;
    }

    /**
     * state.dir must not be inside a log dir (Kafka would take it for a partition directory or
     * delete it): compared after symbolic links are resolved, as far as the path exists.
     */
    static void checkStateDir(String stateDir, List<Path> logDirs) {
        if (stateDir == null || stateDir.isBlank()) {
            return;
        }
        Path state = realAsFarAsItExists(Path.of(stateDir).toAbsolutePath().normalize());
        for (Path dir : logDirs) {
            Path logDir = realAsFarAsItExists(dir.toAbsolutePath().normalize());
            if (state.startsWith(logDir)) {
                throw new InvalidConfigException(GuardianConfig.STATE_DIR + "=" + stateDir + " is inside the log dir " + dir
                        + (state.equals(Path.of(stateDir).toAbsolutePath().normalize()) ? "" : " (as " + state + ")")
                        + ". Give a directory outside every log dir, e.g. the default /var/lib/kafka-guardian.");
            }
        }
    }

    /** The real path of the longest existing prefix of {@code path}, with the rest appended. */
    public static Path realAsFarAsItExists(Path path) {
        Path existing = path;
        Path rest = path.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (java.io.IOException e) {
            return path;
        }
    }

    private static void checkLogDirs(List<Path> logDirs, Optional<BrokerProperties> defaulted) {
        for (Path dir : logDirs) {
            if (!dir.isAbsolute()) {
                throw new InvalidConfigException("log dir '" + dir + "' is a relative path. Kafka log dirs "
                        + "must be absolute paths; give the full path.");
            }
            if (!Files.isDirectory(dir)) {
                if (defaulted.isPresent()) {
                    throw new InvalidConfigException("log dir " + dir + " does not exist: " + defaulted.get().file()
                            + " sets neither log.dirs nor log.dir, so Kafka's default " + BrokerProperties.KAFKA_DEFAULT_LOG_DIR
                            + " was assumed. Give the broker's real server.properties with --broker-config, or set "
                            + "log.dirs there.");
                }
                throw new InvalidConfigException("log dir " + dir + " does not exist or is not a directory. "
                        + "Check log.dirs, or format the broker's storage first (kafka-storage.sh format).");
            }
        }
    }

    private static OptionalInt nodeId(int configured, Optional<BrokerProperties> broker) {
        OptionalInt fromBroker = broker.map(BrokerProperties::nodeId).orElse(OptionalInt.empty());
        if (configured >= 0 && fromBroker.isPresent() && fromBroker.getAsInt() != configured) {
            throw new InvalidConfigException("node.id " + configured + " contradicts node.id "
                    + fromBroker.getAsInt() + " in " + broker.get().file()
                    + ". Remove node.id from the guardian's config or make both agree.");
        }
        return configured >= 0 ? OptionalInt.of(configured) : fromBroker;
    }

    private static String hostName(String configured) {
        if (!configured.isBlank()) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
