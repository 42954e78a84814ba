package io.archiveguardian.guardian.cordon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The log dirs the guardian itself put into its broker's {@code cordoned.log.dirs}, kept in
 * {@code state.dir} so that the guardian removes only its own entries, also after a restart.
 */
public record CordonRecord(int brokerId, List<Entry> logDirs) {

    /** One of the guardian's cordons: the log dir (as the guardian names it), since when and why. */
    public record Entry(String logDir, Instant since, String reason) {
    }

    public CordonRecord {
        logDirs = List.copyOf(logDirs);
    }

    public static CordonRecord empty(int brokerId) {
        return new CordonRecord(brokerId, List.of());
    }

    public Set<String> dirs() {
        return logDirs.stream().map(Entry::logDir).collect(Collectors.toUnmodifiableSet());
    }

    public Optional<Entry> entry(String logDir) {
        return logDirs.stream().filter(e -> e.logDir().equals(logDir)).findFirst();
    }

    public CordonRecord with(String logDir, Instant since, String reason) {
        List<Entry> next = new ArrayList<>(without(logDir).logDirs);
        next.add(new Entry(logDir, since, reason));
        return new CordonRecord(brokerId, next);
    }

    public CordonRecord without(String logDir) {
        return new CordonRecord(brokerId, logDirs.stream().filter(e -> !e.logDir().equals(logDir)).toList());
    }
}
