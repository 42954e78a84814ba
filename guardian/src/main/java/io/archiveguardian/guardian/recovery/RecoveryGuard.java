package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.PartitionKind;
import io.archiveguardian.guardian.logdir.PartitionScan;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Pure: for every filesystem of an observation, the space the next broker start needs there and
 * what to do about it (see {@link PrestartDecision}). Used by {@code guardian prestart} and by the
 * running sidecar; neither does I/O here.
 */
public final class RecoveryGuard {

    private RecoveryGuard() {
    }

    /** Where the catch-up figure comes from: the cluster, or failing that the sidecar's record. */
    public record CatchUpSource(Optional<CatchUpProbe.ClusterCatchUp> cluster, String clusterProblem,
                                Optional<GrowthRecord> growth) {

        public static CatchUpSource cluster(CatchUpProbe.ClusterCatchUp c) {
            return new CatchUpSource(Optional.of(c), null, Optional.empty());
        }

        public static CatchUpSource unavailable(String problem, Optional<GrowthRecord> growth) {
            return new CatchUpSource(Optional.empty(), problem, growth);
        }
    }

    /**
     * @param assumeUnclean price local recovery even if the last stop was clean or the broker runs
     *                      (the sidecar's "if it crashed now" figure)
     */
    public static List<FilesystemGuard> assess(Observation o, List<ReserveView> ballast, CatchUpSource catchUp,
                                               Instant now, java.util.function.Function<FilesystemObservation, RecoveryParameters> params,
                                               boolean assumeUnclean) {
        return assess(o, ballast, catchUp, now, params, assumeUnclean, Set.of());
    }

    /**
     * As above, as if the partitions in {@code dropped} were no longer this broker's: neither
     * recovered nor caught up (what a drop saves at the next start, see {@link DropEffects}).
     */
    public static List<FilesystemGuard> assess(Observation o, List<ReserveView> ballast, CatchUpSource catchUp,
                                               Instant now, java.util.function.Function<FilesystemObservation, RecoveryParameters> params,
                                               boolean assumeUnclean, Set<TopicPartition> dropped) {
        boolean running = o.brokerState() == BrokerState.RUNNING;
        Map<String, LogDirObservation> dirs = new HashMap<>();
        o.logDirs().forEach(d -> dirs.put(d.path(), d));
        String firstLogDir = o.logDirs().isEmpty() ? null : o.logDirs().get(0).path();
        List<FilesystemGuard> out = new ArrayList<>();
        for (FilesystemObservation fs : o.filesystems()) {
            List<LogDirScan> scans = new ArrayList<>();
            boolean pending = assumeUnclean;
            Set<String> here = Set.copyOf(fs.logDirs());
            for (String path : fs.logDirs()) {
                LogDirObservation d = dirs.get(path);
                if (d == null) {
                    continue;
                }
                // UNKNOWN (lock and listener disagree): price the recovery as if it were pending, the
                // safe side for the need. The sidecar never acts on UNKNOWN; prestart, which runs
                // right before a start, then frees room for the worse case.
                pending |= d.broker().state().recoveryPending() || d.broker().state() == BrokerState.UNKNOWN;
                if (d.scan() != null) {
                    scans.add(d.scan());
                }
            }
            CatchUp c = running ? CatchUp.none("the broker is running: nothing to catch up")
                    : catchUpHere(catchUp, localDirs(o), here, firstLogDir, now, dropped);
            RecoveryNeed need = RecoveryModel.need(fs.mount(), pending, LocalLogs.of(scans, dropped), c, params.apply(fs));
            List<Long> tiers = armedTiers(ballast, here);
            PrestartDecision decision = o.brokerState() == BrokerState.UNKNOWN
                    ? PrestartDecision.brokerUnknown(fs.usage().usableBytes(), need, tiers)
                    : PrestartDecision.decide(running, fs.usage().usableBytes(), need, tiers);
            out.add(new FilesystemGuard(fs.mount(), fs.logDirs(), pending, fs.usage().usableBytes(), tiers, need, decision));
        }
        return out;
    }

    private static CatchUp catchUpHere(CatchUpSource source, Map<TopicPartition, String> localDir, Set<String> here,
                                       String firstLogDir, Instant now, Set<TopicPartition> dropped) {
        if (source.cluster().isPresent()) {
            // A partition with no local directory is re-created in the first log dir (JBOD: the
            // controller may choose another; the first is a stand-in).
            return source.cluster().get().of(tp -> !dropped.contains(tp) && here.contains(localDir.getOrDefault(tp, firstLogDir)));
        }
        String why = "cluster not asked (" + source.clusterProblem() + ")";
        if (source.growth().isEmpty()) {
            return CatchUp.none(why + " and no write rate recorded by the sidecar: catch-up unknown");
        }
        GrowthRecord record = source.growth().get();
        long bytes = 0;
        StringBuilder detail = new StringBuilder(why).append(": estimated as measured write rate x time down");
        for (String dir : here) {
            GrowthRecord.LogDir g = record.logDirs().get(dir);
            if (g == null || g.brokerLastRunning() == null) {
                continue;
            }
            Duration down = Duration.between(g.brokerLastRunning(), now);
            if (down.isNegative()) {
                down = Duration.ZERO;
            }
            bytes += (long) (g.writeBytesPerSecond() * down.toMillis() / 1000.0);
            detail.append(String.format("; %s: %s/s x %s", dir, Sizes.human((long) g.writeBytesPerSecond()), Durations.human(down)));
        }
        return new CatchUp(bytes, CatchUp.Source.ESTIMATE, detail.toString());
    }

    /** The log dir of every live partition found locally. */
    static Map<TopicPartition, String> localDirs(Observation o) {
        Map<TopicPartition, String> out = new HashMap<>();
        for (LogDirObservation d : o.logDirs()) {
            if (d.scan() == null) {
                continue;
            }
            for (PartitionScan p : d.scan().partitions()) {
                if (p.kind() == PartitionKind.PARTITION) {
                    out.put(new TopicPartition(p.name().topic(), p.name().partition()), d.path());
                }
            }
        }
        return out;
    }

    /** Local .log bytes of every live partition, as describeLogDirs counts a replica's size. */
    public static Map<TopicPartition, Long> localLogBytes(Observation o) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (LogDirObservation d : o.logDirs()) {
            if (d.scan() == null) {
                continue;
            }
            for (PartitionScan p : d.scan().partitions()) {
                if (p.kind() == PartitionKind.PARTITION) {
                    out.merge(new TopicPartition(p.name().topic(), p.name().partition()), p.log().apparentBytes(), Long::sum);
                }
            }
        }
        return out;
    }

    /** Armed tiers of the reserve on this filesystem, in the order the library releases them. */
    static List<Long> armedTiers(List<ReserveView> ballast, Set<String> logDirsHere) {
        for (ReserveView v : ballast) {
            if (v.logDirs().stream().anyMatch(logDirsHere::contains) && v.tiers() != null) {
                return v.tiers().stream().filter(t -> "armed".equals(t.state()))
                        .sorted(Comparator.comparingInt(ReserveView.TierView::index))
                        .map(ReserveView.TierView::sizeBytes).toList();
            }
        }
        return List.of();
    }
}
