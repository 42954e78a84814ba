package io.archiveguardian.guardian.replicas;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates the Admin client for the drop commands from the resolved settings.
 * TODO(lead): replace with the shared Admin factory once it exists.
 */
public final class ReplicasAdmin {

    private ReplicasAdmin() {
    }

    public static Admin create(GuardianSettings settings) {
        String bootstrap = settings.bootstrapServers().orElseThrow(() -> new GuardianException(ExitCodes.USAGE,
                "No cluster to ask: give --bootstrap-server, or --broker-config with listeners, or bootstrap.servers."));
        Properties props = new Properties();
        props.putAll(settings.adminProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int timeout = (int) settings.adminTimeout().toMillis();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(timeout, 10_000)));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "guardian-drop");
        return Admin.create(props);
    }
}
