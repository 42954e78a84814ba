package io.archiveguardian.guardian.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Whether a broker's server.properties describe a whole cluster of one node: the broker is also
 * its own KRaft controller quorum, and the only voter ({@code controller.quorum.voters} names just
 * this node.id, or {@code controller.quorum.bootstrap.servers} just one controller, which is this
 * one). Such a broker's own listener is every address the cluster has, as in {@code guardian demo}.
 */
public final class SingleNodeCluster {

    private SingleNodeCluster() {
    }

    public static boolean describedBy(Map<String, String> brokerProperties, OptionalInt nodeId) {
        List<String> roles = entries(brokerProperties.get("process.roles"));
        if (!roles.contains("broker") || !roles.contains("controller")) {
            return false;
        }
        List<String> voters = entries(brokerProperties.get("controller.quorum.voters"));
        if (!voters.isEmpty()) {
            return voters.size() == 1 && nodeId.isPresent()
                    && voters.get(0).startsWith(nodeId.getAsInt() + "@");
        }
        return entries(brokerProperties.get("controller.quorum.bootstrap.servers")).size() == 1;
    }

    private static List<String> entries(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
