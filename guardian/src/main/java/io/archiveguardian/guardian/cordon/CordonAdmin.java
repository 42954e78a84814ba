package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The thin Admin side of cordoning, for one broker: read its {@code cordoned.log.dirs}, the cluster's
 * metadata version and what the broker reports per log dir; append or subtract entries. Every call
 * waits at most {@code timeout}; every failure is a {@link GuardianException} whose message says
 * what was asked and why it failed.
 */
public final class CordonAdmin {

    /**
     * The first {@code metadata.version} that supports cordoning (4.3-IV0, feature level 30). Written
     * out rather than read from Kafka's MetadataVersion: that class lives in kafka-server-common, a
     * broker jar the distribution keeps out of the production class path (only the demo loads it);
     * CordonMetadataVersionTest holds the two against Kafka's own.
     */
    public static final short CORDON_METADATA_LEVEL = 30;
    public static final String CORDON_METADATA_VERSION = "4.3-IV0";

    private final Admin admin;
    private final int brokerId;
    private final Duration timeout;
    private final AdminCalls calls;

    public CordonAdmin(Admin admin, int brokerId, Duration timeout) {
        this.admin = admin;
        this.brokerId = brokerId;
        this.timeout = timeout;
        this.calls = new AdminCalls(timeout, "admin.timeout.ms");
    }

    private ConfigResource resource() {
        return new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(brokerId));
    }

    public CurrentCordons describe() {
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(List.of(resource())).all(),
                "describe the config of broker " + brokerId);
        Config config = configs.get(resource());
        ConfigEntry entry = config == null ? null : config.get(CordonAlter.CONFIG);
        if (entry == null) {
            return CurrentCordons.none();
        }
        return CurrentCordons.parse(entry.value(), entry.source().name());
    }

    /**
     * Reads the value until {@code expected} holds, at most {@code timeout}: the broker answers
     * describeConfigs from its own copy, which learns of a change through the metadata log a moment
     * after the alter returned. Returns the last value read either way.
     */
    public CurrentCordons describeUntil(java.util.function.Predicate<CurrentCordons> expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CurrentCordons current = describe();
        while (!expected.test(current) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            current = describe();
        }
        return current;
    }

    /** The finalized {@code metadata.version} feature level, empty when the cluster does not say. */
    public OptionalInt metadataVersionLevel() {
        var features = get(admin.describeFeatures().featureMetadata(), "describe the cluster's features");
        FinalizedVersionRange mv = features.finalizedFeatures().get("metadata.version");
        return mv == null ? OptionalInt.empty() : OptionalInt.of(mv.maxVersionLevel());
    }

    /** Per log dir (as the broker names it) whether the broker reports it cordoned (describeLogDirs). */
    public Map<String, Boolean> reportedByBroker() {
        Map<Integer, Map<String, LogDirDescription>> all = get(admin.describeLogDirs(List.of(brokerId)).allDescriptions(),
                "describe the log dirs of broker " + brokerId);
        Map<String, Boolean> out = new TreeMap<>();
        all.getOrDefault(brokerId, Map.of()).forEach((dir, d) -> out.put(dir, d.error() == null && d.isCordoned()));
        return out;
    }

    public void alter(AlterConfigOp op) {
        get(admin.incrementalAlterConfigs(Map.of(resource(), List.of(op))).all(),
                op.opType() + " " + op.configEntry().value() + " to " + CordonAlter.CONFIG + " of broker " + brokerId);
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return calls.await(future, what);
        } catch (GuardianException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidConfigurationException && String.valueOf(cause.getMessage()).contains("metadata.version")) {
                throw new UnsupportedMetadataVersionException("could not " + what + ": " + cause.getMessage(), cause);
            }
            throw e;
        }
    }

    /** The cluster's metadata version predates cordoning (KIP-1066 needs 4.3-IV0). */
    public static final class UnsupportedMetadataVersionException extends GuardianException {
        public UnsupportedMetadataVersionException(String message, Throwable cause) {
            super(ExitCodes.FAILED, message, cause);
        }
    }
}
