import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DiskPressure;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropPlanner;
import io.archiveguardian.guardian.drop.DropRequest;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.PartitionState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Plans a drop over a synthetic snapshot: PARTITIONS partitions x RF 3 over BROKERS brokers with
 * DIRS log dirs each, mixed ISR states and min.insync.replicas, sizes from 1 MiB to ~64 GiB.
 * Times DropPlanner.plan (index, every verdict, ranking, targets) in one JVM after warm-up and
 * prints the median. Usage: DropPlannerBench [partitions] [brokers] [dirsPerBroker] [needShare] [runs]
 */
public final class DropPlannerBench {

    public static void main(String[] args) {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int brokers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int dirs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double needShare = args.length > 3 ? Double.parseDouble(args[3]) : 0.10;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 9;

        ClusterSnapshot snapshot = synthetic(partitions, brokers, dirs, 42);
        LogDirState local = snapshot.logDirs().stream().filter(d -> d.broker() == 0).findFirst().orElseThrow();
        long localBytes = local.replicas().stream().mapToLong(ReplicaOnDisk::bytes).sum();
        DropRequest request = DropRequest.of(0, local.path(), (long) (localBytes * needShare));

        for (int i = 0; i < 3; i++) {
            DropPlanner.plan(snapshot, request);
        }
        long[] millis = new long[runs];
        DropCandidates last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = DropPlanner.plan(snapshot, request);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "partitions=%d rf=3 brokers=%d dirsPerBroker=%d replicasOnLogDir=%d need=%.1f GiB (%.0f%% of the dir)%n",
                partitions, brokers, dirs, local.replicas().size(), request.needBytes() / (double) (1L << 30), needShare * 100);
        System.out.printf(Locale.ROOT, "safe=%d planned=%d moves sufficient=%s withTarget=%d%n",
                last.safe().size(), last.plan().drops().size(), last.plan().sufficient(),
                last.plan().drops().stream().filter(d -> d.target().isPresent()).count());
        System.out.printf(Locale.ROOT, "plan time over %d runs after 3 warm-up runs: median %d ms, min %d ms, max %d ms%n",
                runs, millis[runs / 2], millis[0], millis[runs - 1]);
    }

    static ClusterSnapshot synthetic(int partitions, int brokers, int dirsPerBroker, long seed) {
        Random random = new Random(seed);
        List<PartitionState> states = new ArrayList<>(partitions);
        Map<String, List<ReplicaOnDisk>> onDir = new HashMap<>();
        int topics = Math.max(1, partitions / 100);
        for (int i = 0; i < partitions; i++) {
            TopicPartition tp = new TopicPartition("topic-" + (i % topics), i / topics);
            List<Integer> replicas = new ArrayList<>(3);
            int first = random.nextInt(brokers);
            for (int r = 0; r < 3; r++) {
                replicas.add((first + r) % brokers);
            }
            List<Integer> isr = new ArrayList<>(replicas);
            int shape = random.nextInt(100);
            if (shape < 5) {
                isr.remove(Integer.valueOf(replicas.get(2)));            // one follower out of sync
            } else if (shape < 7) {
                isr = new ArrayList<>(List.of(replicas.get(0)));         // only the leader
            }
            int minIsr = random.nextInt(10) < 7 ? 2 : 1;
            states.add(new PartitionState(tp, replicas, isr, List.of(), List.of(), minIsr, random.nextInt(1000) == 0));
            long bytes = (long) Math.min(64L << 30, (1L << 20) * Math.exp(random.nextGaussian() * 2.5 + 4));
            for (int b : replicas) {
                onDir.computeIfAbsent(b + "/" + random.nextInt(dirsPerBroker), k -> new ArrayList<>())
                        .add(new ReplicaOnDisk(tp, bytes, false));
            }
        }
        List<LogDirState> dirs = new ArrayList<>();
        Set<Integer> live = new TreeSet<>();
        for (int b = 0; b < brokers; b++) {
            if (b != 0) {
                live.add(b); // broker 0 is the stopped local broker
            }
            for (int d = 0; d < dirsPerBroker; d++) {
                long total = 16L << 40;
                long usable = (long) (total * (0.05 + 0.4 * random.nextDouble()));
                DiskPressure pressure = random.nextInt(20) == 0 ? DiskPressure.CRITICAL : DiskPressure.NORMAL;
                dirs.add(new LogDirState(b, "/data" + d + "/kafka", true, usable, total, pressure,
                        onDir.getOrDefault(b + "/" + d, List.of())));
            }
        }
        return ClusterSnapshot.of(Instant.EPOCH, live, states, dirs);
    }
}
