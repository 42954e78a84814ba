package io.archiveguardian.guardian.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.recovery.DropEffects;
import io.archiveguardian.guardian.recovery.GuardReport;
import io.archiveguardian.guardian.recovery.GuardRunner;
import io.archiveguardian.guardian.recovery.PrestartText;
import io.archiveguardian.guardian.recovery.RecoveryGuard;
import io.archiveguardian.guardian.replicas.DropAdvisor;
import io.archiveguardian.guardian.replicas.DropCandidates;
import io.archiveguardian.guardian.replicas.DropInProgress;
import io.archiveguardian.guardian.replicas.DropJson;
import io.archiveguardian.guardian.replicas.DropText;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prestart", mixinStandardHelpOptions = true,
        description = {"Run before the broker starts (systemd ExecStartPre, a Kubernetes init container).",
                "Works out the space the start needs on each disk (log recovery after an unclean exit,",
                "follower catch-up, a margin) and releases only the ballast tiers that make it fit.",
                "Exit 0: the broker may start. Exit 3: the broker (or a guardian drop) is running. Exit 10: even all",
                "ballast is not enough; nothing is released; the shortfall, a drop plan and its command are printed.",
                "Safe to run twice; works when the cluster cannot be reached (the catch-up is then estimated)."})
final class PrestartCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--dry-run", description = "Decide and print, but release nothing.")
    boolean dryRun;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GuardianSettings settings = options.settings();
        Optional<Integer> dropRunning = DropInProgress.beforeStart(settings, options.asArguments(),
                output.json() ? spec.commandLine().getErr() : spec.commandLine().getOut());
        if (dropRunning.isPresent()) {
            return dropRunning.get(); // a drop holds the log dir: do not start (exit 3)
        }
        Clock clock = Clock.systemUTC();
        long start = System.nanoTime();
        Observation observation = new Observer(settings, clock).observe();
        BallastService ballast = BallastService.create(settings, "guardian prestart", ReserveObserver.NONE);
        GuardRunner runner = new GuardRunner(settings, clock);
        Duration timeout = Duration.ofMillis(settings.config().getInt(GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS));
        Admin admin = settings.bootstrapServers().isPresent() && observation.brokerState() != BrokerState.RUNNING
                ? AdminClients.create(settings.bootstrapServers().get(), settings.adminProperties(), timeout) : null;
        try {
            RecoveryGuard.CatchUpSource catchUp = runner.catchUp(observation, Optional.ofNullable(admin));
            boolean act = !dryRun && observation.brokerState() != BrokerState.RUNNING;
            GuardReport report = runner.run(observation, ballast.views(), catchUp, act, false, Trigger.PRESTART,
                    "prestart before the broker starts", (dir, request, trigger, reason) ->
                            ballast.release(Optional.of(dir), request, trigger, reason).get(0).result());
            Optional<DropCandidates> drop = report.exitCode() == ExitCodes.DISK_FULL
                    ? dropPlan(settings, admin, timeout, runner.dropEffects(observation, ballast.views(), catchUp, false))
                    : Optional.empty();
            double seconds = (System.nanoTime() - start) / 1e9;
            print(report, drop, seconds);
            return report.exitCode();
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO); // pending calls to an unreachable cluster must not delay the start
            }
        }
    }

    private static Optional<DropCandidates> dropPlan(GuardianSettings settings, Admin admin, Duration timeout, DropEffects effects) {
        if (admin == null || settings.nodeId().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DropAdvisor(admin, timeout, Clock.systemUTC())
                    .candidatesForStart(settings.nodeId().getAsInt(), settings.logDirs(), effects.shortfallBytes(), effects));
        } catch (RuntimeException e) {
            return Optional.empty(); // the hint then names the command to run once the cluster answers
        }
    }

    private void print(GuardReport report, Optional<DropCandidates> drop, double seconds) {
        var out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode json = Json.MAPPER.valueToTree(report);
            json.put("exit_code", report.exitCode());
            json.put("dry_run", dryRun);
            json.put("elapsed_seconds", seconds);
            drop.ifPresent(c -> json.set("drop_plan", DropJson.candidates(c)));
            drop.filter(c -> c.plan().sufficient()).ifPresent(c -> json.put("drop_command", DropText.command(c, options.asArguments())));
            out.println(Json.writePretty(json));
        } else {
            out.print(PrestartText.render(report, dryRun, seconds));
            if (report.exitCode() == ExitCodes.DISK_FULL) {
                out.print(PrestartText.diskFullHint(report, drop.map(DropText::plan),
                        drop.filter(c -> c.plan().sufficient()).map(c -> DropText.command(c, options.asArguments())),
                        options.asArguments()));
            }
        }
        out.flush();
    }
}
