package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DiskRef;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropPlanner;
import io.archiveguardian.guardian.drop.DropRequest;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;
import io.archiveguardian.guardian.drop.StartEffects;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.disk.PressureThresholds;
import io.archiveguardian.guardian.disk.WatchSettings;
import io.archiveguardian.guardian.GuardianException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The entry point for the CLI, the sidecar and {@code prestart}: observe the cluster (and, when the
 * local broker is not live, its log dirs on disk) and plan a drop for local log dirs.
 *
 * <pre>{@code
 * DropCandidates c = new DropAdvisor(admin, timeout, clock).candidates(nodeId, List.of(logDir), needBytes);
 * c.safeBytes(logDir.toString());       // guardian_drop_candidates_bytes{logdir}
 * DropJson.candidates(c);               // /api/v1/drop-candidates (rendering)
 * DropText.plan(c);                     // what prestart prints on exit 10
 * }</pre>
 */
public final class DropAdvisor {

    private final Admin admin;
    private final Duration timeout;
    private final Clock clock;
    private final PressureThresholds thresholds;
    private boolean localDiskBytes;
    private ClusterFacts facts = ClusterFacts.NONE;

    /** With the default pressure thresholds; the guardian's commands use {@link #of}. */
    public DropAdvisor(Admin admin, Duration timeout, Clock clock) {
        this(admin, timeout, clock, PressureThresholds.DEFAULTS);
    }

    /** @param thresholds the levels other brokers' disks are judged with, from their describeLogDirs totals */
    public DropAdvisor(Admin admin, Duration timeout, Clock clock, PressureThresholds thresholds) {
        this.admin = admin;
        this.timeout = timeout;
        this.clock = clock;
        this.thresholds = thresholds;
    }

    /**
     * The advisor every command and the sidecar use: other brokers' disks judged with this
     * guardian's {@code pressure.*} thresholds, the same levels it judges its own disks with.
     */
    public static DropAdvisor of(GuardianSettings settings, Admin admin, Duration timeout, Clock clock) {
        return new DropAdvisor(admin, timeout, clock, WatchSettings.from(settings.config()).thresholds());
    }

    /** The facts this advisor plans with. */
    public ClusterFacts facts() {
        return facts;
    }

    /**
     * The cluster as Kafka reports it; when {@code localBroker} is not live (stopped), or has just
     * stopped and does not answer for its log dirs, its log dirs are read from disk instead.
     */
    public ClusterSnapshot observe(int localBroker, List<Path> localLogDirs) {
        ClusterSnapshot snapshot = new ClusterObserver(admin, timeout, clock, thresholds).observe();
        Set<String> reported = snapshot.logDirs().stream().filter(d -> d.broker() == localBroker)
                .map(LogDirState::path).collect(Collectors.toSet());
        boolean allReported = localLogDirs.stream().allMatch(d -> reported.contains(d.toString()));
        if (snapshot.liveBrokers().contains(localBroker) && allReported) {
            return localDiskBytes ? withLocalDiskBytes(snapshot, localBroker, localLogDirs) : snapshot;
        }
        List<LogDirState> scanned = new ArrayList<>();
        for (Path dir : localLogDirs) {
            scanned.add(LocalLogDirScanner.scan(localBroker, dir));
        }
        return snapshot.withLogDirsOf(localBroker, scanned);
    }

    /**
     * This advisor, but with the local replicas' disk bytes (what deleting them frees: log, indexes,
     * snapshots) read from the local log dirs also while the broker runs, when Kafka reports only
     * segment bytes. For the commands run on the broker host; the sidecar keeps Kafka's sizes.
     */
    public DropAdvisor withLocalDiskBytes() {
        DropAdvisor a = new DropAdvisor(admin, timeout, clock, thresholds);
        a.localDiskBytes = true;
        a.facts = facts;
        return a;
    }

    /** This advisor, but planning with what the cluster view knows (critical disks, silent sidecars). */
    public DropAdvisor withFacts(ClusterFacts facts) {
        DropAdvisor a = new DropAdvisor(admin, timeout, clock, thresholds);
        a.localDiskBytes = localDiskBytes;
        a.facts = facts;
        return a;
    }

    private static ClusterSnapshot withLocalDiskBytes(ClusterSnapshot snapshot, int broker, List<Path> dirs) {
        List<LogDirState> updated = new ArrayList<>();
        for (LogDirState d : snapshot.logDirs()) {
            if (d.broker() != broker || !d.online() || !dirs.contains(Path.of(d.path()))) {
                continue;
            }
            java.util.Map<TopicPartition, Long> disk = new java.util.HashMap<>();
            try {
                LocalLogDirScanner.scan(broker, Path.of(d.path())).replicas().forEach(r -> disk.put(r.partition(), r.diskBytes()));
            } catch (RuntimeException e) {
                return snapshot; // unreadable here: Kafka's sizes ("at least") stand
            }
            updated.add(new LogDirState(d.broker(), d.path(), d.online(), d.usableBytes(), d.totalBytes(), d.pressure(),
                    d.replicas().stream().map(r -> new ReplicaOnDisk(r.partition(), r.bytes(), r.future(),
                            r.future() ? r.bytes() : Math.max(r.bytes(), disk.getOrDefault(r.partition(), r.bytes())))).toList(),
                    d.cordoned()));
        }
        List<LogDirState> merged = new ArrayList<>(snapshot.logDirs().stream()
                .filter(d -> updated.stream().noneMatch(u -> u.broker() == d.broker() && u.path().equals(d.path()))).toList());
        merged.addAll(updated);
        return new ClusterSnapshot(snapshot.takenAt(), snapshot.liveBrokers(), snapshot.partitions(), merged);
    }

    /** Every replica on {@code logDirs} of {@code broker} with its verdict, and a plan to free {@code needBytes}. */
    public DropCandidates candidates(int broker, List<Path> logDirs, long needBytes) {
        return plan(observe(broker, logDirs), broker, logDirs, needBytes, Optional.empty(), facts);
    }

    /**
     * Every replica with its verdict, and a plan that covers the next start's {@code shortfall}
     * counting what each drop saves at the start and, deleted, frees on disk (prestart's plan).
     */
    public DropCandidates candidatesForStart(int broker, List<Path> logDirs, long shortfall, StartEffects effects) {
        return plan(observe(broker, logDirs), broker, logDirs, shortfall, Optional.of(effects), facts);
    }

    /**
     * A plan of exactly these partitions (as prestart printed them); each must be on these log dirs
     * and safe, else exit 3 naming why, with nothing changed.
     */
    public DropCandidates pinned(int broker, List<Path> logDirs, List<TopicPartition> partitions) {
        ClusterSnapshot snapshot = observe(broker, logDirs);
        DropRequest request = request(snapshot, broker, logDirs, 0, Optional.empty());
        try {
            return DropPlanner.planExactly(snapshot, request, partitions, facts);
        } catch (IllegalStateException e) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, e.getMessage() + ". Nothing was changed.");
        }
    }

    /** Plans over a given snapshot; a log dir the snapshot does not know is a usage error (exit 2). */
    public static DropCandidates plan(ClusterSnapshot snapshot, int broker, List<Path> logDirs, long needBytes) {
        return plan(snapshot, broker, logDirs, needBytes, Optional.empty(), ClusterFacts.NONE);
    }

    /** As {@link #plan(ClusterSnapshot, int, List, long)}, with what the cluster view knows applied. */
    public static DropCandidates plan(ClusterSnapshot snapshot, int broker, List<Path> logDirs, long needBytes,
                                      ClusterFacts facts) {
        return plan(snapshot, broker, logDirs, needBytes, Optional.empty(), facts);
    }

    static DropCandidates plan(ClusterSnapshot snapshot, int broker, List<Path> logDirs, long needBytes,
                               Optional<StartEffects> effects, ClusterFacts facts) {
        return facts.plan(snapshot, request(snapshot, broker, logDirs, needBytes, effects));
    }

    private static DropRequest request(ClusterSnapshot snapshot, int broker, List<Path> logDirs, long needBytes,
                                       Optional<StartEffects> effects) {
        DropRequest request = new DropRequest(logDirs.stream().map(d -> new DiskRef(broker, d.toString())).toList(),
                needBytes, effects);
        Set<String> known = snapshot.logDirs().stream().filter(d -> d.broker() == broker)
                .map(LogDirState::path).collect(Collectors.toSet());
        for (DiskRef disk : request.disks()) {
            if (!known.contains(disk.logDir())) {
                throw new GuardianException(ExitCodes.USAGE, "log dir " + disk.logDir() + " is not a log dir of broker "
                        + broker + " as the cluster reports it; its log dirs are " + known.stream().sorted().toList());
            }
        }
        return request;
    }
}
