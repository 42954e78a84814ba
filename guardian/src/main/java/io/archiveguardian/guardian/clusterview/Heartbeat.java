package io.archiveguardian.guardian.clusterview;

import java.time.Instant;
import java.util.List;

/**
 * One sidecar's heartbeat, produced every {@code scan.interval.ms} to the heartbeat topic keyed by
 * broker id: the broker's state and, per filesystem, pressure, space, ballast and recovery need.
 *
 * @param startedAt when this sidecar process started; with {@code sequence} it orders heartbeats
 * @param sequence  counts up from 0 within one sidecar process
 * @param sentAt    when the sidecar built the heartbeat (its own clock)
 * @param lastPass  when the pass it reports observed the host
 */
public record Heartbeat(int brokerId, String host, String brokerState, String guardianVersion, Instant lastPass,
                        Instant sentAt, long intervalMs, Instant startedAt, long sequence, List<Disk> filesystems)
        implements BrokerInput {

    public Heartbeat {
        filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
    }

    /**
     * One filesystem holding log dirs.
     *
     * @param pressure                lower-case level: ok, warn, high, critical (unknown before a watch)
     * @param headroomBytes           usable + armed ballast − recovery need (negative: the next start would not fit)
     * @param recommendedBallastBytes the ballast the reserve plan wants on this filesystem (all planned tiers)
     */
    public record Disk(String mount, List<String> logDirs, String pressure, long usableBytes, long headroomBytes,
                       long armedBallastBytes, long recommendedBallastBytes, long recoveryNeedBytes) {

        public Disk {
            logDirs = logDirs == null ? List.of() : List.copyOf(logDirs);
        }

        /** The pressure as a level; empty when it was unknown to the sender. */
        public java.util.Optional<io.archiveguardian.guardian.disk.PressureLevel> level() {
            return io.archiveguardian.guardian.disk.PressureLevel.ofLabel(pressure);
        }

        public boolean pressured() {
            return level().filter(l -> l.compareTo(io.archiveguardian.guardian.disk.PressureLevel.HIGH) >= 0).isPresent();
        }
    }

    /** True when this heartbeat was sent after {@code other} by the same or a later sidecar process. */
    public boolean newerThan(Heartbeat other) {
        int byStart = startedAt.compareTo(other.startedAt);
        return byStart != 0 ? byStart > 0 : sequence > other.sequence;
    }
}
