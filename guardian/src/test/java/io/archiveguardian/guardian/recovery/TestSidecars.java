package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A sidecar for broker 1 of a child cluster, as {@code guardian run} starts it: default keys but a
 * test-sized cadence (a pass a second, the guard every 200 ms), a free HTTP port and no cluster view
 * (one sidecar has nobody to compare with); {@code extra} overrides any of them.
 */
final class TestSidecars {

    private TestSidecars() {
    }

    static SidecarServer start(ChildBrokerCluster cluster, Path stateDir, Map<String, String> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(GuardianConfig.BROKER_CONFIG, cluster.broker(1).serverProperties().toString());
        config.put(GuardianConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        config.put(GuardianConfig.STATE_DIR, stateDir.toString());
        config.put(GuardianConfig.HTTP_LISTEN, "127.0.0.1:0");
        config.put(GuardianConfig.SCAN_INTERVAL_MS, "1000");
        config.put(GuardianConfig.BROKER_STATE_POLL_MS, "200");
        config.put(GuardianConfig.CLUSTER_VIEW_ENABLED, "false");
        config.putAll(extra);
        return SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(config)));
    }
}
