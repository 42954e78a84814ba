package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Creates the guardian's Admin clients: the bootstrap servers, the --command-config properties and
 * timeouts bounded by {@code admin.timeout.ms}, so that an unreachable cluster fails in bounded time.
 */
public final class AdminClients {

    private AdminClients() {
    }

    /** The bootstrap servers of these settings; exit code 2 when none is configured. */
    public static String bootstrapServers(GuardianSettings settings) {
        return settings.bootstrapServers().orElseThrow(() -> new GuardianException(ExitCodes.USAGE,
                "No Kafka cluster configured: give --bootstrap-server (or bootstrap.servers), or --broker-config "
                        + "with the broker's listeners."));
    }

    public static Admin create(GuardianSettings settings) {
        return create(bootstrapServers(settings), settings.adminProperties(), settings.adminTimeout());
    }

    public static Admin create(String bootstrapServers, Map<String, String> adminProperties, Duration timeout) {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "archive-guardian");
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            // The address's syntax was checked at start (exit 2); what fails here is the cluster's
            // availability (no host name resolves) or the client settings: a failure, not bad usage.
            throw new GuardianException(ExitCodes.FAILED, "Cannot create a Kafka Admin client for bootstrap servers "
                    + bootstrapServers + ": " + rootMessage(e) + ". Check that the names resolve, --bootstrap-server "
                    + "and --command-config.", e);
        }
    }

    /** Closes without hanging on an unreachable cluster. */
    public static void closeQuietly(Admin admin) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
