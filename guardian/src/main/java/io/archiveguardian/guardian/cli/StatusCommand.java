package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.FilesystemReserve;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.cluster.ClusterReachability;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.cordon.CordonDuty;
import io.archiveguardian.guardian.cordon.CordonReport;
import io.archiveguardian.guardian.cordon.CordonSettings;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.ballast.BallastByMount;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.watch.WatchDuty;
import io.archiveguardian.guardian.watch.WatchReport;
import io.archiveguardian.reserve.ReserveObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"One observation pass, printed; needs no running sidecar and changes nothing.",
                "Each log dir with its partitions, segments and log and index bytes, the filesystem under "
                        + "it with its pressure level, and the broker state; with a cluster, whether the cluster "
                        + "answers and the log dirs' cordons. One pass has no history, so growth rates and "
                        + "time-to-full need the running sidecar (guardian run)."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GuardianSettings settings = options.settings();
        Observation observation = new Observer(settings, Clock.systemUTC()).observe();
        List<ReserveView> ballast = ballast(settings);
        Map<String, Long> armed = BallastByMount.of(ballast, observation);
        PassFacts withBallast = PassFacts.of(observation);
        for (String mount : withBallast.disks().keySet()) {
            withBallast = withBallast.withDisk(mount, d -> d.withBallast(armed.getOrDefault(mount, 0L), 0, 0));
        }
        WatchDuty watchDuty = WatchDuty.create(settings);
        PassFacts facts = watchDuty.onPass(withBallast);
        WatchReport watch = watchDuty.latest().orElseThrow();
        ClusterReachability reachability = null;
        CordonReport cordon = null;
        if (settings.bootstrapServers().isPresent()) {
            Bound bound = Bound.of(settings);
            try (ClusterConnection cluster = new ClusterConnection(settings)) {
                reachability = cluster.check(bound.timeout(), bound.key()).orElseThrow();
                if (Boolean.TRUE.equals(reachability.reachable())) {
                    cordon = cordon(settings, cluster, bound.timeout(), facts);
                }
            }
        }
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.writePretty(new StatusReport(StatusReport.version(), observation, ballast, null, null, List.of(),
                    watch, cordon, reachability)));
        } else {
            out.print(StatusText.render(observation, watch));
            out.print(StatusText.cluster(reachability));
            out.print(StatusText.cordon(cordon));
        }
        out.flush();
        return 0;
    }

    /**
     * Each cluster call is bounded by prestart.cluster.timeout.ms (or admin.timeout.ms when shorter),
     * so a dead cluster delays the printout by that much once: the cordons are asked only when the
     * cluster answered the first question, and the cluster section then says why it did not.
     */
    private record Bound(Duration timeout, String key) {
        static Bound of(GuardianSettings settings) {
            long admin = settings.adminTimeout().toMillis();
            int prestart = settings.config().getInt(GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS);
            return admin < prestart ? new Bound(Duration.ofMillis(admin), GuardianConfig.ADMIN_TIMEOUT_MS)
                    : new Bound(Duration.ofMillis(prestart), GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS);
        }
    }

    /** The broker's cordons, read only. */
    private static CordonReport cordon(GuardianSettings settings, ClusterConnection cluster, Duration bound,
                                       PassFacts facts) {
        try (CordonDuty duty = new CordonDuty(CordonSettings.of(settings).withTimeout(bound), cluster::admin,
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            return duty.look(facts.brokerRunning(), facts);
        }
    }

    /**
     * The reserves as they are now, read without a lock. A reserve that cannot be read is left out
     * (an offline log dir is reported by the observation); {@code guardian ballast status} says why.
     */
    private static List<ReserveView> ballast(GuardianSettings settings) {
        List<FilesystemReserve> filesystems;
        try {
            filesystems = BallastService.create(settings, "guardian status", ReserveObserver.NONE).filesystems();
        } catch (RuntimeException e) {
            return List.of();
        }
        List<ReserveView> views = new ArrayList<>();
        for (FilesystemReserve fs : filesystems) {
            try {
                views.add(ReserveView.of(fs, fs.reserve().status()));
            } catch (RuntimeException e) {
                // left out, see above
            }
        }
        return views;
    }
}
