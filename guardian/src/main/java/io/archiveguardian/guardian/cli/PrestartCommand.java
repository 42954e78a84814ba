package io.archiveguardian.guardian.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.events.EventLog;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.recovery.DropEffects;
import io.archiveguardian.guardian.recovery.GuardReport;
import io.archiveguardian.guardian.recovery.GuardRunner;
import io.archiveguardian.guardian.recovery.PrestartText;
import io.archiveguardian.guardian.recovery.RecoveryGuard;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.exec.DropInProgress;
import io.archiveguardian.guardian.drop.render.DropJson;
import io.archiveguardian.guardian.drop.render.DropText;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.recovery.GrowthRecord;
import io.archiveguardian.reserve.FilesystemSpace;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "prestart", mixinStandardHelpOptions = true,
        description = {"Run before every broker start: frees only the ballast the start needs, or says why it "
                        + "cannot.",
                "systemd ExecStartPre; in Kubernetes in the broker container's command, before "
                        + "kafka-server-start. Works out the space the start needs on each disk (log recovery after "
                        + "an unclean exit, follower catch-up, a margin) and releases only the ballast that makes "
                        + "it fit. Safe to run twice. When the cluster does not answer within "
                        + "prestart.cluster.timeout.ms (or its address does not resolve), it decides on local facts "
                        + "and says so. It decides on one moment: after the cluster answered or timed out, each "
                        + "disk's usable space and ballast are read together under the reserve's lock.",
                "Exit 0: the broker may start. Exit 3: the broker (or a guardian drop) is running, or the "
                        + "broker's state is UNKNOWN (its lock and listener disagree); nothing is changed. Exit "
                        + "10: even all ballast is not enough; nothing is released; the shortfall, a drop plan and "
                        + "its command are printed. When prestart fails itself (an error, a lock timeout, a missing "
                        + "log dir, an unreadable reserve or growth record) it exits 0 with a loud message, or 1 "
                        + "with prestart.on.error=block."})
final class PrestartCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--dry-run", description = "Decide and print, but release nothing.")
    boolean dryRun;

    @Mixin
    OutputOption output;

    @Mixin
    SidecarViewOption view;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        view.validate();
        GuardianConfig config = options.config(Map.of());
        // Bad configuration is exit 2 as for every command; a log dir that is missing is not: Kafka
        // tolerates that with JBOD, and prestart must not be the reason a broker cannot start.
        GuardianSettings settings = options.whole(SettingsResolver.resolve(config, false));
        boolean block = "block".equals(config.getString(GuardianConfig.PRESTART_ON_ERROR));
        try {
            return prestart(settings, block);
        } catch (InvalidConfigException e) {
            return failed(settings, block, e.getMessage());
        } catch (RuntimeException e) {
            return failed(settings, block, "unexpected error: " + e);
        }
    }

    private int prestart(GuardianSettings settings, boolean block) {
        Optional<Integer> dropRunning = DropInProgress.beforeStart(settings, options.asArguments(),
                output.json() ? spec.commandLine().getErr() : spec.commandLine().getOut());
        if (dropRunning.isPresent()) {
            return dropRunning.get(); // a drop holds the log dir: do not start (exit 3)
        }
        Clock clock = Clock.systemUTC();
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<Path> present = new ArrayList<>();
        for (Path dir : settings.logDirs()) {
            if (!dir.isAbsolute()) {
                throw new InvalidConfigException("log dir '" + dir + "' is a relative path. Kafka log dirs must be absolute paths.");
            }
            if (Files.isDirectory(dir) && Files.isReadable(dir)) {
                present.add(dir);
            } else {
                problems.add("log dir " + dir + " is missing or unreadable; it was not assessed");
            }
        }
        if (present.isEmpty()) {
            throw new InvalidConfigException("no log dir can be read: " + settings.logDirs());
        }
        GuardianSettings readable = present.size() == settings.logDirs().size() ? settings : withLogDirs(settings, present);
        Observation observation = new Observer(readable, clock).observe();
        BallastService ballast = BallastService.create(present, BallastSettings.from(settings.config()),
                "guardian prestart", ReserveObserver.NONE);
        GuardRunner runner = new GuardRunner(readable, clock);
        Duration timeout = Duration.ofMillis(settings.config().getInt(GuardianConfig.PRESTART_CLUSTER_TIMEOUT_MS));
        String whyNoAdmin = "no bootstrap servers configured";
        Admin admin = null;
        if (settings.bootstrapServers().isPresent() && observation.brokerState() != BrokerState.RUNNING
                && observation.brokerState() != BrokerState.UNKNOWN) {
            ClusterConnection.warnDerivedBootstrapOnce(settings, w -> spec.commandLine().getErr().println("WARNING: " + w));
            try {
                admin = AdminClients.create(settings.bootstrapServers().get(), settings.adminProperties(), timeout);
            } catch (RuntimeException e) {
                // DNS down, say: the cluster is unavailable, which is not a reason to block the start.
                whyNoAdmin = "cluster unavailable: " + e.getMessage();
            }
        }
        try {
            RecoveryGuard.CatchUpSource catchUp = runner.catchUp(observation, Optional.ofNullable(admin), whyNoAdmin);
            GrowthRecord.problem(runner.stateDir()).ifPresent(problems::add);
            // One moment, after the cluster answered or timed out: each reserve and its filesystem's
            // usable space read together under the reserve's lock, so a release made meanwhile (the
            // sidecar's, an operator's) counts once, as usable space, and never turns a fitting start
            // into exit 10.
            boolean brokerMayRun = observation.brokerState() == BrokerState.RUNNING
                    || observation.brokerState() == BrokerState.UNKNOWN;
            List<BallastService.Reading> readings = brokerMayRun ? ballast.readAll() : ballast.readAllLocked();
            boolean reserveUnreadable = false;
            for (BallastService.Reading r : readings) {
                if (r.status().isEmpty()) {
                    reserveUnreadable = true;
                    problems.add("the reserve of " + r.filesystem().logDir() + " cannot be read (" + r.error()
                            + "); its ballast is unknown, so no decision rests on it");
                }
            }
            List<ReserveView> views = readings.stream().flatMap(r -> r.view().stream()).toList();
            Observation now = brokerMayRun ? observation : atTheMomentOf(observation, readings);
            boolean act = !dryRun && !brokerMayRun;
            GuardReport report = runner.run(now, views, catchUp, act, false, Trigger.PRESTART,
                    "prestart before the broker starts", (dir, request, trigger, reason) ->
                            ballast.release(Optional.of(dir), request, trigger, reason).get(0).result());
            report = withUnreadable(report, now, readings);
            report.failures().stream().filter(f -> readings.stream().noneMatch(r -> r.status().isEmpty()
                            && r.filesystem().logDir().toString().equals(f.logDir())))
                    .forEach(f -> problems.add("the release on " + f.mount() + " failed: " + f.error()));
            Optional<DropCandidates> drop = report.exitCode() == ExitCodes.DISK_FULL && !reserveUnreadable
                    ? dropPlan(settings, admin, timeout, runner.dropEffects(now, views, catchUp, false), view)
                    : Optional.empty();
            double seconds = (System.nanoTime() - start) / 1e9;
            Optional<String> localOnly = catchUp.cluster().isPresent() || observation.brokerState() == BrokerState.RUNNING
                    ? Optional.empty() : Optional.of(catchUp.clusterProblem());
            // An unreadable reserve makes a "does not fit" unfounded: the policy decides instead of exit 10.
            boolean decided = report.exitCode() == ExitCodes.CHECK_FAILED
                    || (report.exitCode() == ExitCodes.DISK_FULL && !reserveUnreadable);
            print(report, drop, localOnly, problems, block, seconds, decided);
            if (decided || problems.isEmpty()) {
                return report.exitCode(); // a reasoned decision (10), a running or unknown broker (3), or all well
            }
            return failedAfterReport(settings, block, String.join("; ", problems));
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO); // pending calls to an unreachable cluster must not delay the start
            }
        }
    }

    /** The report with each reserve that could not be read as a failure of its filesystem (JSON {@code failures}). */
    private static GuardReport withUnreadable(GuardReport report, Observation o, List<BallastService.Reading> readings) {
        List<GuardReport.Failure> failures = new ArrayList<>();
        for (BallastService.Reading r : readings) {
            if (r.status().isEmpty()) {
                String logDir = r.filesystem().logDir().toString();
                String mount = o.logDirs().stream().filter(d -> d.path().equals(logDir) && d.mount() != null)
                        .map(d -> d.mount()).findFirst().orElse(r.filesystem().filesystem());
                failures.add(new GuardReport.Failure(mount, logDir, "the reserve cannot be read: " + r.error()));
            }
        }
        if (failures.isEmpty()) {
            return report;
        }
        failures.addAll(0, report.failures());
        return new GuardReport(report.time(), report.brokerState(), report.filesystems(), report.released(), failures,
                report.seconds());
    }

    /**
     * The observation with each filesystem's usable space as read with its reserve, under the
     * reserve's lock: the moment the decision is made on. A filesystem whose reserve could not be
     * read keeps the observation's reading.
     */
    private static Observation atTheMomentOf(Observation o, List<BallastService.Reading> readings) {
        List<FilesystemObservation> filesystems = new ArrayList<>();
        for (FilesystemObservation f : o.filesystems()) {
            FilesystemUsage u = f.usage();
            Optional<FilesystemSpace> space = readings.stream()
                    .filter(r -> r.status().isPresent() && r.view().map(v -> v.logDirs().stream()
                            .anyMatch(f.logDirs()::contains) || f.logDirs().contains(v.logDir())).orElse(false))
                    .map(r -> r.status().get().space()).findFirst();
            if (space.isPresent()) {
                u = new FilesystemUsage(u.mount(), u.device(), u.type(), u.totalBytes(), space.get().unallocatedBytes(),
                        space.get().usableBytes(), u.inodesTotal(), u.inodesFree());
            }
            filesystems.add(new FilesystemObservation(u, f.logDirs()));
        }
        return new Observation(o.time(), o.host(), o.nodeId(), o.brokerState(), o.logDirs(), filesystems, o.observeSeconds());
    }

    private static GuardianSettings withLogDirs(GuardianSettings s, List<Path> dirs) {
        return new GuardianSettings(s.config(), dirs, s.nodeId(), s.bootstrapServers(), s.adminProperties(), s.scanInterval(),
                s.adminTimeout(), s.httpListen(), s.httpToken(), s.hostName(), s.brokerProperties());
    }

    /** Prestart failed before it could decide: the loud message, the event, and the policy's exit code. */
    private int failed(GuardianSettings settings, boolean block, String problem) {
        if (output.json()) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("exit_code", block ? ExitCodes.FAILED : ExitCodes.OK);
            json.put("failed", true);
            json.set("problems", Json.MAPPER.valueToTree(List.of(problem)));
            spec.commandLine().getOut().println(Json.writePretty(json));
            spec.commandLine().getOut().flush();
        }
        return failedAfterReport(settings, block, problem);
    }

    private int failedAfterReport(GuardianSettings settings, boolean block, String problem) {
        String state = block ? "FAILED_START_BLOCKED" : "FAILED_START_ALLOWED";
        String policy = block
                ? "prestart.on.error=block: exit 1, the broker does not start until this is fixed or the policy is 'start'."
                : "prestart.on.error=start: exit 0, the broker starts WITHOUT the guardian's check.";
        var err = spec.commandLine().getErr();
        err.println("!!! GUARDIAN PRESTART FAILED: " + problem);
        err.println("!!! " + policy + " See docs/runbook-unclean-exit-loop.md (prestart failed).");
        err.flush();
        new EventLog(1).publish(List.of(new StateChangeEvent(java.time.Instant.now(), settings.hostName(),
                settings.nodeId().isPresent() ? settings.nodeId().getAsInt() : null, "prestart", null, state, problem)));
        return block ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static Optional<DropCandidates> dropPlan(GuardianSettings settings, Admin admin, Duration timeout, DropEffects effects,
                                                     SidecarViewOption view) {
        if (admin == null || settings.nodeId().isEmpty()) {
            return Optional.empty();
        }
        try {
            // the start is already refused (exit 10): the plan may take the sidecar's view into account, briefly
            return Optional.of(DropAdvisor.of(settings, admin, timeout, Clock.systemUTC())
                    .withFacts(view.facts(settings, settings.nodeId().getAsInt(), timeout))
                    .candidatesForStart(settings.nodeId().getAsInt(), settings.logDirs(), effects.shortfallBytes(), effects));
        } catch (RuntimeException e) {
            return Optional.empty(); // the hint then names the command to run once the cluster answers
        }
    }

    private void print(GuardReport report, Optional<DropCandidates> drop, Optional<String> localOnly, List<String> problems,
                       boolean block, double seconds, boolean decided) {
        var out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode json = Json.MAPPER.valueToTree(report);
            json.put("exit_code", decided || problems.isEmpty() ? report.exitCode()
                    : block ? ExitCodes.FAILED : ExitCodes.OK);
            json.put("dry_run", dryRun);
            json.put("elapsed_seconds", seconds);
            json.put("decided_on_local_facts", localOnly.isPresent());
            localOnly.ifPresent(p -> json.put("cluster_problem", p));
            json.set("problems", Json.MAPPER.valueToTree(problems));
            drop.ifPresent(c -> json.set("drop_plan", DropJson.candidates(c)));
            drop.filter(c -> c.plan().sufficient()).ifPresent(c -> json.put("drop_command", DropText.command(c, options.asArguments() + view.asArguments())));
            out.println(Json.writePretty(json));
        } else {
            out.print(decided || problems.isEmpty() ? PrestartText.render(report, dryRun, seconds)
                    : PrestartText.renderUndecided(report, dryRun, seconds));
            localOnly.ifPresent(p -> out.println("Decided on local facts (the cluster was not asked or did not answer: "
                    + p + ")."));
            problems.forEach(p -> out.println("PROBLEM: " + p));
            if (report.exitCode() == ExitCodes.DISK_FULL && decided) {
                out.print(PrestartText.diskFullHint(report, drop.map(DropText::plan),
                        drop.filter(c -> c.plan().sufficient()).map(c -> DropText.command(c, options.asArguments() + view.asArguments())),
                        options.asArguments()));
            }
        }
        out.flush();
    }
}
