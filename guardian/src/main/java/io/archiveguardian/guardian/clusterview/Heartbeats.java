package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.observe.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pure: the heartbeat that reports one pass, built from the pass's typed facts. */
public final class Heartbeats {

    private Heartbeats() {
    }

    /** Empty when the broker id is unknown (a heartbeat is keyed by it). */
    public static Optional<Heartbeat> of(PassFacts facts, String guardianVersion, Instant startedAt, long sequence,
                                         Instant now, Duration interval) {
        Observation o = facts.observation();
        if (o.nodeId() == null) {
            return Optional.empty();
        }
        List<Heartbeat.Disk> disks = new ArrayList<>();
        for (DiskFacts d : facts.diskList()) {
            long armed = d.armedBallastBytes();
            long need = d.needBytes() == null ? 0 : d.needBytes();
            long headroom = d.headroomBytes() == null ? d.usableBytes() + armed : d.headroomBytes();
            disks.add(new Heartbeat.Disk(d.mount(), d.logDirs(), d.pressure() == null ? "unknown" : d.pressure().label(),
                    d.usableBytes(), headroom, armed, d.plannedBallastBytes(), need));
        }
        return Optional.of(new Heartbeat(o.nodeId(), o.host(), o.brokerState().name(), guardianVersion,
                o.time(), now, interval.toMillis(), startedAt, sequence, disks));
    }
}
