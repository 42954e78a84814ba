package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.drop.StartEffects;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * Pure: what dropping partitions does to the next start, priced with the same model and the same
 * observation {@code prestart} decided with, so that a drop plan that says "then the start fits"
 * is one the next {@code prestart} accepts. Dropped partitions are neither recovered nor caught up
 * (saved at the start); deleting their local copies adds their bytes to the usable space (freed on
 * disk). All armed ballast counts as available, as in {@link PrestartDecision}. It plans for what
 * blocks the start: a catch-up estimate the cluster did not confirm never blocks a start on its own
 * (see {@link PrestartDecision#decide}), so it is left out of the need a plan must cover, and a
 * start prestart allows needs no drop.
 */
public final class DropEffects implements StartEffects {

    private final Observation observation;
    private final List<ReserveView> ballast;
    private final RecoveryGuard.CatchUpSource catchUp;
    private final Instant now;
    private final Function<FilesystemObservation, RecoveryParameters> params;
    private final boolean assumeUnclean;
    private final List<FilesystemGuard> before;

    public DropEffects(Observation observation, List<ReserveView> ballast, RecoveryGuard.CatchUpSource catchUp, Instant now,
                       Function<FilesystemObservation, RecoveryParameters> params, boolean assumeUnclean) {
        this.observation = observation;
        this.ballast = List.copyOf(ballast);
        this.catchUp = catchUp;
        this.now = now;
        this.params = params;
        this.assumeUnclean = assumeUnclean;
        this.before = RecoveryGuard.assess(observation, ballast, catchUp, now, params, assumeUnclean);
    }

    @Override
    public long savedAtStartBytes(Set<TopicPartition> dropped) {
        List<FilesystemGuard> after = assess(dropped);
        long saved = 0;
        for (int i = 0; i < before.size(); i++) {
            saved += blockingNeed(before.get(i)) - blockingNeed(after.get(i));
        }
        return saved;
    }

    @Override
    public long shortfallBytes(Set<TopicPartition> dropped, Map<String, Long> freedOnDiskByLogDir) {
        long shortfall = 0;
        for (FilesystemGuard g : assess(dropped)) {
            long freed = g.logDirs().stream().mapToLong(d -> freedOnDiskByLogDir.getOrDefault(d, 0L)).sum();
            shortfall += Math.max(0, -(blockingHeadroom(g) + freed));
        }
        return shortfall;
    }

    /** The start's shortfall now, every filesystem summed (what prestart reports). */
    public long shortfallBytes() {
        return before.stream().mapToLong(g -> Math.max(0, -blockingHeadroom(g))).sum();
    }

    /**
     * The part of the need that can block the start: all of it, less a catch-up estimate the
     * cluster did not confirm (the need {@link PrestartDecision#decide} falls back to).
     */
    static long blockingNeed(FilesystemGuard g) {
        RecoveryNeed need = g.need();
        return need.totalBytes() - (need.estimated() ? Math.max(0, need.catchUpBytes()) : 0);
    }

    private static long blockingHeadroom(FilesystemGuard g) {
        return g.usableBytes() + g.armedBallastBytes() - blockingNeed(g);
    }

    private List<FilesystemGuard> assess(Set<TopicPartition> dropped) {
        return RecoveryGuard.assess(observation, ballast, catchUp, now, params, assumeUnclean, dropped);
    }
}
