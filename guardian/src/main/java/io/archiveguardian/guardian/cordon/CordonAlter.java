package io.archiveguardian.guardian.cordon;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;

/**
 * Pure: the {@code incrementalAlterConfigs} operation that adds or removes log dirs, as Kafka spells
 * them in {@code log.dirs}.
 *
 * <p>APPEND and SUBTRACT are applied by the controller to the per-broker <em>dynamic</em> value, so
 * they never lose a concurrent change. But when the effective value comes from elsewhere
 * (server.properties or the cluster-wide default), a per-broker dynamic value would replace it: an
 * APPEND of {@code /b} over a static {@code /a} leaves {@code /b} alone and so uncordons {@code /a}.
 * In that case the operation is a SET of the effective entries plus (or minus) ours.
 */
public final class CordonAlter {

    public static final String CONFIG = "cordoned.log.dirs";

    private CordonAlter() {
    }

    public static Optional<AlterConfigOp> add(List<String> kafkaNames, CurrentCordons current) {
        if (kafkaNames.isEmpty()) {
            return Optional.empty();
        }
        if (current.dynamicPerBroker() || current.entries().isEmpty()) {
            return Optional.of(op(String.join(",", kafkaNames), AlterConfigOp.OpType.APPEND));
        }
        Set<String> union = new LinkedHashSet<>(current.entries());
        union.addAll(kafkaNames);
        return Optional.of(op(String.join(",", union), AlterConfigOp.OpType.SET));
    }

    public static Optional<AlterConfigOp> remove(List<String> kafkaNames, CurrentCordons current) {
        List<String> present = kafkaNames.stream().filter(current::lists).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        if (current.dynamicPerBroker()) {
            // SUBTRACT removes equal strings: use the spelling the value has.
            List<String> spelled = new ArrayList<>();
            for (String e : current.entries()) {
                if (present.stream().anyMatch(p -> CurrentCordons.same(p, e)) && !e.equals(CurrentCordons.ALL)) {
                    spelled.add(e);
                }
            }
            return Optional.of(op(String.join(",", spelled), AlterConfigOp.OpType.SUBTRACT));
        }
        List<String> rest = current.entries().stream()
                .filter(e -> e.equals(CurrentCordons.ALL) || present.stream().noneMatch(p -> CurrentCordons.same(p, e)))
                .toList();
        return Optional.of(op(String.join(",", rest), AlterConfigOp.OpType.SET));
    }

    private static AlterConfigOp op(String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(CONFIG, value), type);
    }
}
