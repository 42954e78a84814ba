package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.text.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-broker half of the topology: keeps the latest heartbeat and placement of each broker and
 * runs the failure detector on a wall-clock punctuator, once per heartbeat interval.
 *
 * <ul>
 *   <li>Liveness is judged by this observer's own clock: a heartbeat counts when it arrives. An
 *       older heartbeat (by process start and sequence) arriving after a newer one is ignored. The
 *       sender's clock is never compared with this one: a sidecar whose clock is minutes off is
 *       alive while its heartbeats arrive. Only lateness relative to the sender's own heartbeats
 *       counts: one that arrives more than the silence timeout later than its predecessors did
 *       (arrival minus {@code sentAt}, against the last proof's) was held up somewhere; it updates
 *       the facts but is no proof of life. A sender whose offset really changed (its clock was set
 *       back) is believed again once two heartbeats in a row, received at least half an interval
 *       apart, show the same new offset: a held-up backlog arrives in a burst.</li>
 *   <li>Local-pause guard (as Cassandra's gossiper): an instance newly in charge (after a
 *       rebalance or a restore), or one whose punctuator was held up for more than two
 *       intervals (a long GC pause, a stalled thread, one large clock step), convicts no one until
 *       it has itself watched one full interval, and counts a broker's silence only from the moment
 *       it started watching: a restored broker heard ten minutes ago by the previous owner becomes
 *       SUSPECT and SILENT on this instance's own schedule.</li>
 * </ul>
 */
final class BrokerWatch implements Processor<String, BrokerInput, String, BrokerView> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);

    private final DetectorSettings detector;
    private ProcessorContext<String, BrokerView> context;
    private KeyValueStore<String, BrokerView> store;
    private long watchingSince;
    private long lastPunctuation;

    BrokerWatch(DetectorSettings detector) {
        this.detector = detector;
    }

    @Override
    public void init(ProcessorContext<String, BrokerView> context) {
        this.context = context;
        this.store = context.getStateStore(ClusterTopology.BROKER_STORE);
        this.watchingSince = context.currentSystemTimeMs();
        this.lastPunctuation = watchingSince;
        context.schedule(detector.interval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, BrokerInput> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        BrokerView before = store.get(record.key());
        BrokerView after = record.value() instanceof Heartbeat h ? onHeartbeat(before, h, now)
                : onPlacement(before, (Placement) record.value());
        if (after != null) {
            store.put(record.key(), after);
            context.forward(new Record<>(record.key(), after, now.toEpochMilli()));
        }
    }

    private BrokerView onHeartbeat(BrokerView before, Heartbeat h, Instant now) {
        if (before != null && before.heartbeat() != null && !h.newerThan(before.heartbeat())) {
            LOG.debug("ignoring out-of-order heartbeat {}#{} of broker {}", h.startedAt(), h.sequence(), h.brokerId());
            return null;
        }
        Placement placement = before == null ? null : before.placement();
        Long offset = h.sentAt() == null ? null : Duration.between(h.sentAt(), now).toMillis();
        boolean fresh = fresh(before, offset, now);
        Long baseline = fresh ? offset : before.clockOffsetMs();
        if (!fresh && before != null && before.lastHeard() != null) {
            // Facts are newer, but a heartbeat held up that long is no proof that the sidecar lives now.
            return new BrokerView(h.brokerId(), before.state(), before.reason(), before.lastHeard(), before.stateSince(),
                    h, placement, pressured(h, placement), baseline, offset, now);
        }
        Instant heard = now;
        boolean wasAlive = before != null && BrokerView.ALIVE.equals(before.state());
        String state = fresh ? BrokerView.ALIVE : BrokerView.SILENT;
        String reason = fresh ? "heartbeat " + h.sequence() + " received" : "first heartbeat arrived too late to prove life";
        Instant since = wasAlive && fresh ? before.stateSince() : now;
        return new BrokerView(h.brokerId(), state, reason, fresh ? heard : null, since, h, placement,
                pressured(h, placement), baseline, offset, now);
    }

    /**
     * Whether a heartbeat proves life, judged on this observer's clock: its arrival, compared with
     * how the sender's earlier heartbeats arrived (see the class comment). The first one heard does.
     */
    private boolean fresh(BrokerView before, Long offset, Instant now) {
        if (offset == null || before == null || before.clockOffsetMs() == null) {
            return true;
        }
        long timeout = detector.silenceTimeout().toMillis();
        if (offset - before.clockOffsetMs() < timeout) {
            return true;
        }
        // Late against the last proof. The same new offset twice, received apart: the sender's clock changed.
        long interval = detector.interval().toMillis();
        return before.lastOffsetMs() != null && before.lastReceived() != null
                && Math.abs(offset - before.lastOffsetMs()) < interval
                && Duration.between(before.lastReceived(), now).toMillis() >= interval / 2;
    }

    private static BrokerView onPlacement(BrokerView before, Placement p) {
        if (before != null && before.placement() != null && before.placement().time() != null && p.time() != null
                && p.time().isBefore(before.placement().time())) {
            return null;
        }
        if (before == null) {
            return new BrokerView(p.brokerId(), "unknown", "placement known, no heartbeat yet", null, null, null, p,
                    Map.of());
        }
        return new BrokerView(before.brokerId(), before.state(), before.reason(), before.lastHeard(), before.stateSince(),
                before.heartbeat(), p, pressured(before.heartbeat(), p), before.clockOffsetMs(), before.lastOffsetMs(),
                before.lastReceived());
    }

    /** Partitions with a replica here on a disk at high or critical pressure, with their replica sets. */
    static Map<String, List<Integer>> pressured(Heartbeat h, Placement p) {
        Map<String, List<Integer>> out = new TreeMap<>();
        if (h == null || p == null) {
            return out;
        }
        for (Placement.Replica r : p.replicas()) {
            for (Heartbeat.Disk d : h.filesystems()) {
                if (d.logDirs().contains(r.logDir()) && d.pressured()) {
                    out.put(r.partitionName(), r.replicas());
                }
            }
        }
        return out;
    }

    private void punctuate(long nowMs) {
        long interval = detector.interval().toMillis();
        if (nowMs - lastPunctuation > 2 * interval) {
            LOG.info("the detector was held up for {} ms (more than two intervals); it convicts no one until it has "
                    + "watched one full interval again", nowMs - lastPunctuation);
            watchingSince = nowMs;
        }
        lastPunctuation = nowMs;
        if (nowMs - watchingSince < interval) {
            return;
        }
        Instant now = Instant.ofEpochMilli(nowMs);
        List<KeyValue<String, BrokerView>> changed = new ArrayList<>();
        try (KeyValueIterator<String, BrokerView> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, BrokerView> e = all.next();
                BrokerView v = e.value;
                if (v.lastHeard() == null) {
                    continue;
                }
                // Only silence this instance has watched itself counts (not the time before it took
                // over or before its pause).
                Instant watchedFrom = v.lastHeard().isAfter(Instant.ofEpochMilli(watchingSince)) ? v.lastHeard()
                        : Instant.ofEpochMilli(watchingSince);
                Duration quiet = Duration.between(watchedFrom, now);
                String verdict = quiet.compareTo(detector.silenceTimeout()) >= 0 ? BrokerView.SILENT
                        : quiet.compareTo(detector.suspectAfter()) > 0 ? BrokerView.SUSPECT : BrokerView.ALIVE;
                if (rank(verdict) > rank(v.state())) {
                    String reason = "no heartbeat for " + Durations.human(quiet) + " (suspect after "
                            + Durations.human(detector.suspectAfter()) + ", silent after "
                            + Durations.human(detector.silenceTimeout()) + ")";
                    changed.add(KeyValue.pair(e.key, new BrokerView(v.brokerId(), verdict, reason, v.lastHeard(), now,
                            v.heartbeat(), v.placement(), v.pressuredPartitions(), v.clockOffsetMs(), v.lastOffsetMs(),
                            v.lastReceived())));
                }
            }
        }
        for (KeyValue<String, BrokerView> c : changed) {
            store.put(c.key, c.value);
            context.forward(new Record<>(c.key, c.value, nowMs));
        }
    }

    private static int rank(String state) {
        return switch (state) {
            case BrokerView.ALIVE -> 0;
            case BrokerView.SUSPECT -> 1;
            case BrokerView.SILENT -> 2;
            default -> -1;
        };
    }
}
