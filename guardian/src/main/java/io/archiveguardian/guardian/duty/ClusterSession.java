package io.archiveguardian.guardian.duty;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a duty's cluster round gets: the sidecar's one Admin client (empty when no cluster is
 * configured or it is unavailable now, and then {@link #problem()} says why) and the bound of
 * every wait on it.
 */
public interface ClusterSession {

    Optional<Admin> admin();

    /** Why the cluster cannot be asked now, in words for status and logs. */
    String problem();

    /** The bound of each Admin wait ({@code admin.timeout.ms}). */
    Duration timeout();
}
