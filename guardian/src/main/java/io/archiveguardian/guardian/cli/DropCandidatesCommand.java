package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.guardian.recovery.DropEffects;
import io.archiveguardian.guardian.recovery.GuardRunner;
import io.archiveguardian.guardian.recovery.RecoveryGuard;
import io.archiveguardian.reserve.ReserveObserver;
import java.util.Optional;
import io.archiveguardian.guardian.cli.ByteSizeConverter;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.render.DropJson;
import io.archiveguardian.guardian.drop.render.DropText;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.cluster.AdminClients;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drop-candidates", mixinStandardHelpOptions = true,
        description = {"Lists the replicas on this broker's log dirs that are safe to drop, ranked to free a "
                        + "given amount.",
                "All log dirs, or those --logdir picks; each replica with a verdict (safe to drop or not, "
                        + "and why). Changes nothing. See docs/drop.md."})
final class DropCandidatesCommand implements Callable<Integer>, ConfigOptions.PicksLogDirs {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;


    @Option(names = "--need", paramLabel = "SIZE", defaultValue = "0", converter = ByteSizeConverter.class,
            description = "Bytes to free: bytes, or a number with K, M, G, T or P (powers of 1024), decimals allowed: 20G, 1.5G. Default: ${DEFAULT-VALUE}.")
    long need;

    @Option(names = "--for-start",
            description = "Plan against the next broker start's shortfall, as prestart does (broker stopped): count what each "
                    + "drop saves at the start and, with the local copy deleted, frees on disk; print the command. Instead of --need.")
    boolean forStart;

    @Mixin
    OutputOption output;

    @Mixin
    SidecarViewOption view;

    @Override
    public Integer call() throws Exception {
        view.validate();
        GuardianSettings settings = options.settingsForSubset();
        LocalTarget target = LocalTarget.resolve(settings, options.requestedLogDirs());
        if (forStart) {
            return forStart(settings, target);
        }
        try (Admin admin = AdminClients.create(settings)) {
            return execute(settings, target, admin);
        }
    }

    /** The candidates with a given Admin (as Kafka's LogDirsCommand): tests pass a MockAdminClient. */
    int execute(GuardianSettings settings, LocalTarget target, Admin admin) throws Exception {
        DropCandidates candidates = DropAdvisor.of(settings, admin, settings.adminTimeout(), Clock.systemUTC()).withLocalDiskBytes()
                .withFacts(view.facts(settings, target.broker(), SidecarViewOption.TIMEOUT))
                .candidates(target.broker(), target.logDirs(), need);
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(DropJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(DropJson.candidates(candidates)));
        } else {
            out.print(DropText.candidates(candidates));
        }
        out.flush();
        return 0;
    }

    /** prestart's plan, without prestart: the same observation, ballast, catch-up and model; changes nothing. */
    private int forStart(GuardianSettings settings, LocalTarget target) throws Exception {
        if (need != 0) {
            throw new GuardianException(ExitCodes.USAGE, "give either --need SIZE or --for-start, not both");
        }
        Clock clock = Clock.systemUTC();
        Observation o = new Observer(settings, clock).observe();
        if (o.brokerState() == BrokerState.RUNNING) {
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the broker is running: --for-start plans its next start "
                    + "(after it stopped); while it runs use --need SIZE");
        }
        var ballast = BallastService.create(settings, "guardian drop-candidates", ReserveObserver.NONE).views();
        GuardRunner runner = new GuardRunner(settings, clock);
        DropCandidates candidates;
        try (Admin admin = AdminClients.create(settings)) {
            RecoveryGuard.CatchUpSource catchUp = runner.catchUp(o, Optional.of(admin));
            DropEffects effects = runner.dropEffects(o, ballast, catchUp, false);
            candidates = DropAdvisor.of(settings, admin, settings.adminTimeout(), clock).withLocalDiskBytes()
                    .withFacts(view.facts(settings, target.broker(), SidecarViewOption.TIMEOUT))
                    .candidatesForStart(target.broker(), target.logDirs(), effects.shortfallBytes(), effects);
        }
        boolean command = candidates.plan().sufficient() && !candidates.plan().drops().isEmpty();
        var out = spec.commandLine().getOut();
        if (output.json()) {
            var json = DropJson.candidates(candidates);
            if (command) {
                json.put("command", DropText.command(candidates, options.asArguments() + view.asArguments()));
            }
            out.println(DropJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            out.print(DropText.candidates(candidates));
            if (command) {
                out.println();
                out.println("Carry it out, then run prestart again:");
                out.println("  " + DropText.command(candidates, options.asArguments() + view.asArguments()) + "   (add --execute to carry it out)");
            }
        }
        out.flush();
        return candidates.plan().sufficient() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
