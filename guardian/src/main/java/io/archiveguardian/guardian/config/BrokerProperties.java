package io.archiveguardian.guardian.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the guardian takes from the broker's own {@code server.properties}: the log dirs, the node
 * id and a bootstrap address derived from the listeners. Kafka's precedence holds: {@code log.dirs}
 * wins over {@code log.dir}, whose default is {@code /tmp/kafka-logs}.
 */
public record BrokerProperties(Path file, List<Path> logDirs, OptionalInt nodeId, Optional<String> bootstrapServers,
                               Map<String, String> properties) {

    public BrokerProperties {
        properties = Map.copyOf(properties);
    }

    static final String KAFKA_DEFAULT_LOG_DIR = "/tmp/kafka-logs";

    public static BrokerProperties read(Path file) {
        return parse(file, GuardianConfig.readProperties(file, "--broker-config"));
    }

    static BrokerProperties parse(Path file, Map<String, String> props) {
        String dirs = props.getOrDefault("log.dirs", "");
        if (dirs.isBlank()) {
            dirs = props.getOrDefault("log.dir", KAFKA_DEFAULT_LOG_DIR);
        }
        List<Path> logDirs = Arrays.stream(dirs.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Path::of).map(Path::normalize).collect(Collectors.toList());
        OptionalInt nodeId = parseNodeId(file, props);
        return new BrokerProperties(file, logDirs, nodeId, bootstrapFromListeners(file, props), props);
    }

    /** True when the file names neither log.dirs nor log.dir, so Kafka's default /tmp/kafka-logs is assumed. */
    public boolean logDirsDefaulted() {
        return properties.getOrDefault("log.dirs", "").isBlank() && properties.getOrDefault("log.dir", "").isBlank();
    }

    private static OptionalInt parseNodeId(Path file, Map<String, String> props) {
        String raw = props.getOrDefault("node.id", props.get("broker.id"));
        if (raw == null || raw.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(raw.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("--broker-config " + file + ": node.id '" + raw
                    + "' is not a number. The broker's node.id must be an integer.");
        }
    }

    /**
     * The first client listener (not one of {@code controller.listener.names}), from
     * {@code advertised.listeners} when set, else {@code listeners}; a wildcard host means this
     * host, reached at 127.0.0.1.
     */
    private static Optional<String> bootstrapFromListeners(Path file, Map<String, String> props) {
        return firstClientListener(props).map(l -> l[1]);
    }

    /**
     * The security protocol of the listener the bootstrap address was derived from, per
     * {@code listener.security.protocol.map} (Kafka's default maps each protocol name to itself).
     */
    public Optional<String> bootstrapSecurityProtocol() {
        Optional<String[]> listener = firstClientListener(properties);
        if (listener.isEmpty()) {
            return Optional.empty();
        }
        String name = listener.get()[0];
        String map = properties.getOrDefault("listener.security.protocol.map", "");
        for (String entry : map.split(",")) {
            String[] kv = entry.trim().split(":");
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase(name)) {
                return Optional.of(kv[1].trim().toUpperCase(java.util.Locale.ROOT));
            }
        }
        Set<String> protocols = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return protocols.contains(upper) ? Optional.of(upper) : Optional.empty();
    }

    /** {name, host:port} of the first client listener. */
    private static Optional<String[]> firstClientListener(Map<String, String> props) {
        String listeners = props.getOrDefault("advertised.listeners", "");
        if (listeners.isBlank()) {
            listeners = props.getOrDefault("listeners", "");
        }
        Set<String> controllerNames = Arrays.stream(props.getOrDefault("controller.listener.names", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String listener : listeners.split(",")) {
            String l = listener.trim();
            int sep = l.indexOf("://");
            if (sep <= 0) {
                continue;
            }
            String name = l.substring(0, sep);
            if (controllerNames.contains(name)) {
                continue;
            }
            String hostPort = l.substring(sep + 3);
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            String host = hostPort.substring(0, colon);
            if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
                host = "127.0.0.1";
            }
            return Optional.of(new String[] {name, host + hostPort.substring(colon)});
        }
        return Optional.empty();
    }
}
