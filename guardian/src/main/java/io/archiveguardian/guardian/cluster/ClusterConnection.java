package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.config.GuardianSettings;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The sidecar's one Admin client, created on first use and kept across passes (an Admin client
 * reconnects by itself). Empty when no bootstrap servers are configured: cluster duties are then
 * off and local duties go on.
 */
public final class ClusterConnection implements AutoCloseable {

    private final GuardianSettings settings;
    private Admin admin;

    public ClusterConnection(GuardianSettings settings) {
        this.settings = settings;
    }

    public synchronized Optional<Admin> admin() {
        if (settings.bootstrapServers().isEmpty()) {
            return Optional.empty();
        }
        if (admin == null) {
            admin = AdminClients.create(settings);
        }
        return Optional.of(admin);
    }

    @Override
    public synchronized void close() {
        AdminClients.closeQuietly(admin);
        admin = null;
    }
}
