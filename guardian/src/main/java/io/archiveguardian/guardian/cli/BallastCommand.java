package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.BallastService.Outcome;
import io.archiveguardian.guardian.ballast.BallastSettings;
import io.archiveguardian.guardian.ballast.GiveWayOnBrokerStop;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.ballast.ProgressBarObserver;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.text.SpaceText;
import io.archiveguardian.reserve.ArmResult;
import io.archiveguardian.reserve.RearmResult;
import io.archiveguardian.guardian.ballast.ReleaseOrder;
import io.archiveguardian.reserve.ReleaseRequest;
import io.archiveguardian.reserve.ReleaseResult;
import io.archiveguardian.reserve.ReserveObserver;
import io.archiveguardian.reserve.ReserveSize;
import io.archiveguardian.reserve.ReserveStatus;
import io.archiveguardian.reserve.Trigger;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ballast", mixinStandardHelpOptions = true,
        description = "Tiered ballast files that hold real blocks on each data disk.",
        subcommands = {BallastCommand.Status.class, BallastCommand.Arm.class,
                BallastCommand.Release.class, BallastCommand.Rearm.class, BallastRecommendCommand.class})
final class BallastCommand {


    /** What every ballast subcommand shares: the config options, --output, the writers. */
    abstract static class Base implements Callable<Integer>, ConfigOptions.PicksLogDirs {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Mixin
        OutputOption output;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        String program() {
            return "guardian ballast " + spec.name();
        }

        private GuardianSettings settings;

        /** The configuration, read and checked once per command (the arm's give-way reads it too). */
        GuardianSettings settings() {
            if (settings == null) {
                settings = options.settingsForSubset();
            }
            return settings;
        }

        BallastService service(ReserveObserver observer) {
            return BallastService.create(settings(), program(), observer);
        }

        /**
         * What makes this arm give way when the broker stops under it (as the sidecar's arm does):
         * the broker's state, probed at most every broker.state.poll.ms, when it was RUNNING at the start.
         */
        GiveWayOnBrokerStop giveWayOnBrokerStop() {
            GuardianSettings settings = settings();
            BrokerStateProbe probe = BrokerStateProbe.forBroker(settings.brokerProperties(),
                    settings.config().getString(GuardianConfig.BROKER_ADDRESS));
            List<Path> dirs = settings.logDirs();
            return GiveWayOnBrokerStop.from(() -> BrokerState.combine(probe.probeAll(dirs).values().stream()
                    .map(LogDirBrokerState::state).toList()),
                    Duration.ofMillis(settings.config().getLong(GuardianConfig.BROKER_STATE_POLL_MS)));
        }

        /** The log dirs --logdir picks (their filesystems are acted on); empty for every one. */
        List<Path> picked() {
            return options.requestedLogDirs();
        }

        void json(Object value) {
            out().println(Json.writePretty(value));
            out().flush();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Shows each data filesystem's reserve: tiers, armed and released bytes, location, last "
                        + "action.",
                    "All data filesystems, or those of the log dirs --logdir picks."})
    static final class Status extends Base {
        @Override
        public Integer call() {
            List<Outcome<ReserveStatus>> outcomes = service(ReserveObserver.NONE).status(picked());
            List<ReserveView> views = outcomes.stream().map(o -> ReserveView.of(o.filesystem(), o.result())).toList();
            if (output.json()) {
                json(views);
            } else {
                views.forEach(v -> out().print(v.text()));
                out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "arm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Arms or resizes the reserve on each data filesystem (all, or those of the log dirs "
                        + "--logdir picks).",
                    "Tiers are armed in order while the filesystem stays at or below "
                        + "reserve.arm.max.used.percent. When the broker was running as the arm began and "
                        + "stops meanwhile, the arm gives way: its partial tier is removed. Exit code 3 when "
                        + "not every tier could be armed."})
    static final class Arm extends Base {
        @Option(names = "--size", paramLabel = "SIZE",
                description = "Total reserve size per filesystem: 20G, 1.5G, 512M, bytes, or 5%% of the filesystem (default: reserve.size).")
        String size;

        @Option(names = "--tiers", paramLabel = "N", description = "Number of tiers (default: reserve.tiers).")
        Integer tiers;

        @Override
        public Integer call() {
            ReserveSize requested = null; // the options are checked before anything is read or written
            if (size != null) {
                try {
                    requested = ReserveSize.parse(size);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("--size: " + e.getMessage());
                }
            }
            if (tiers != null && (tiers < 1 || tiers > 64)) {
                throw new InvalidConfigException("--tiers " + tiers + ": give 1 to 64 tiers.");
            }
            try (ProgressBarObserver progress = new ProgressBarObserver(err())) {
                BallastService service = service(output.text() ? progress : ReserveObserver.NONE);
                BallastSettings plan = service.settings();
                if (requested != null) {
                    plan = plan.withSize(requested);
                }
                if (tiers != null) {
                    plan = plan.withTiers(tiers);
                }
                List<Outcome<ArmResult>> outcomes = service.arm(picked(), plan, Trigger.MANUAL,
                        "guardian ballast arm", giveWayOnBrokerStop());
                progress.close();
                if (output.json()) {
                    json(outcomes.stream().map(o -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("log_dir", o.filesystem().logDir().toString());
                        m.put("armed_tiers", o.result().armedTiers());
                        m.put("armed_bytes", o.result().armedBytes());
                        m.put("requested_bytes", o.result().requestedBytes());
                        m.put("complete", o.result().complete());
                        o.result().incomplete().ifPresent(i -> m.put("incomplete", i));
                        m.put("reserve", ReserveView.of(o.filesystem(), o.result().status()));
                        return m;
                    }).toList());
                } else {
                    for (Outcome<ArmResult> o : outcomes) {
                        ArmResult r = o.result();
                        out().println(o.filesystem().logDir() + ": " + (r.armedTiers().isEmpty()
                                ? "no tier armed now"
                                : "armed tier" + plural(r.armedTiers()) + " (" + Sizes.human(r.armedBytes()) + ")")
                                + "; reserve " + Sizes.human(r.status().armedBytes()) + " of "
                                + Sizes.human(r.requestedBytes()) + " armed at " + r.status().location().directory());
                        r.incomplete().ifPresent(i -> out().println("  not complete: " + i));
                    }
                    out().flush();
                }
                if (outcomes.stream().anyMatch(o -> !o.result().complete())) {
                    err().println("guardian: the reserve is not fully armed on every filesystem (see above).");
                    err().flush();
                    return ExitCodes.CHECK_FAILED;
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Releases ballast tiers by hand, lowest-numbered first; records who and why.",
                    "With --logdir it works even when the broker's config cannot be read."})
    static final class Release extends Base {
        static final class HowMuch {
            @Option(names = "--tiers", paramLabel = "N", required = true, description = "Release N tiers (default: 1).")
            int tiers;

            @Option(names = "--all", required = true, description = "Release every tier.")
            boolean all;
        }

        @Option(names = "--all-disks", description = "Release on every data filesystem (instead of a --logdir that picks; "
                + "needed when there are several).")
        boolean allDisks;

        @ArgGroup(exclusive = true)
        HowMuch howMuch;

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "Why (recorded in the audit log).")
        String reason;

        @Option(names = "--reserve-dir", paramLabel = "DIR",
                description = "With one --logdir: the reserve dir configured for it (reserve.dirs), when the "
                        + "configuration cannot be read.")
        Path reserveDir;

        @Override
        public Integer call() {
            // The same rules as POST /api/v1/ballast/release (ReleaseOrder), worded with this command's options.
            ReleaseOrder order = ReleaseOrder.of(
                    Optional.ofNullable(howMuch).filter(h -> !h.all).map(h -> h.tiers),
                    howMuch != null && howMuch.all, picked(), allDisks, reason, ReleaseOrder.Names.CLI);
            if (reserveDir != null && order.logDirs().size() != 1) {
                throw new InvalidConfigException("--reserve-dir needs exactly one --logdir: name the log dir it belongs to.");
            }
            List<Path> picked = order.logDirs();
            ReleaseRequest request = order.request();
            BallastService service = picked.isEmpty() ? service(ReserveObserver.NONE) : forLogDirs(picked);
            order.requireTarget(service.filesystems().stream().map(f -> f.logDir()).toList(), ReleaseOrder.Names.CLI);
            List<Outcome<ReleaseResult>> outcomes = service.release(picked, request, Trigger.MANUAL, reason);
            if (output.json()) {
                json(outcomes.stream().map(o -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("log_dir", o.filesystem().logDir().toString());
                    m.put("released_tiers", o.result().releasedTiers());
                    m.put("released_bytes", o.result().releasedBytes());
                    m.put("usable_bytes_before", o.result().usableBefore());
                    m.put("usable_bytes_after", o.result().usableAfter());
                    m.put("reserve", ReserveView.of(o.filesystem(), o.result().status()));
                    return m;
                }).toList());
            } else {
                for (Outcome<ReleaseResult> o : outcomes) {
                    ReleaseResult r = o.result();
                    if (r.releasedTiers().isEmpty()) {
                        out().println(o.filesystem().logDir() + ": nothing to release (no armed tier at "
                                + r.status().location().directory() + ")");
                    } else {
                        out().println(o.filesystem().logDir() + ": released tier" + plural(r.releasedTiers()) + " ("
                                + Sizes.human(r.releasedBytes()) + "); "
                                + SpaceText.change("usable", r.usableBefore(), r.usableAfter(), SpaceText.USABLE_WORDS)
                                + "; " + r.status().armedTiers() + " of " + r.status().tiers().size()
                                + " tiers still armed");
                    }
                }
                out().flush();
            }
            return ExitCodes.OK;
        }

        /**
         * The reserve of the named log dirs. The configuration is used when it can be read; when it
         * cannot (a broken or missing broker config in an emergency) the default placement, or
         * --reserve-dir, is used and a note says so.
         */
        private BallastService forLogDirs(List<Path> named) {
            GuardianConfig config = null;
            BallastSettings settings;
            try {
                config = options.config(Map.of());
                settings = BallastSettings.from(config);
            } catch (GuardianException e) {
                note("the guardian's configuration cannot be read (" + e.getMessage() + "); using defaults");
                settings = BallastSettings.defaults();
            }
            List<Path> logDirs;
            try {
                logDirs = settings().logDirs();
            } catch (GuardianException e) {
                if (options.config != null || options.brokerConfig != null) {
                    note("the log dirs cannot be read (" + e.getMessage() + "); releasing on " + named + " alone");
                }
                logDirs = config == null ? List.of() : config.getList(GuardianConfig.LOG_DIRS).stream()
                        .map(String::trim).filter(d -> !d.isEmpty()).map(Path::of).toList();
            }
            List<Path> known = logDirs;
            ReleaseOrder.requireKnown(named, known, BallastCommand::samePath, ReleaseOrder.Names.CLI);
            boolean allPresent = known.stream().allMatch(Files::isDirectory);
            if (!known.isEmpty() && allPresent) {
                if (reserveDir != null) {
                    List<Optional<Path>> dirs = new ArrayList<>();
                    for (Path d : logDirs) {
                        dirs.add(samePath(d, named.get(0)) ? Optional.of(reserveDir) : Optional.empty());
                    }
                    settings = settings.withReserveDirs(dirs);
                }
                return BallastService.create(logDirs, settings, program(), ReserveObserver.NONE);
            }
            // The named log dirs alone (others unknown or gone): find each one's configured reserve dir, if any.
            List<Optional<Path>> configured = new ArrayList<>();
            for (Path dir : named) {
                Optional<Path> found = Optional.ofNullable(reserveDir);
                if (found.isEmpty() && !settings.reserveDirs().isEmpty()) {
                    int index = indexOfSamePath(logDirs, dir);
                    if (index >= 0 && settings.reserveDirs().size() == logDirs.size()) {
                        found = settings.reserveDirs().get(index);
                    } else {
                        note("reserve.dirs cannot be matched to " + dir + " without log.dirs; the default placement "
                                + "is used (give --reserve-dir if the reserve was configured elsewhere)");
                    }
                }
                configured.add(found);
            }
            BallastSettings alone = settings.withReserveDirs(configured.stream().allMatch(Optional::isEmpty)
                    ? List.of() : configured);
            return BallastService.create(named, alone, program(), ReserveObserver.NONE);
        }

        private void note(String text) {
            err().println("guardian: note: " + text);
            err().flush();
        }
    }

    @Command(name = "rearm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Restores released tiers by hand: one tier per filesystem per run, lowest-numbered first.",
                    "Only while the filesystem stays at or below reserve.arm.max.used.percent. The running "
                        + "sidecar's own re-arm also waits for catch-up (docs/reserve-blocks.md)."})
    static final class Rearm extends Base {
        @Override
        public Integer call() {
            try (ProgressBarObserver progress = new ProgressBarObserver(err())) {
                BallastService service = service(output.text() ? progress : ReserveObserver.NONE);
                List<Outcome<RearmResult>> outcomes = service.rearm(picked(), Trigger.MANUAL,
                        "guardian ballast rearm", giveWayOnBrokerStop());
                progress.close();
                if (output.json()) {
                    json(outcomes.stream().map(o -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("log_dir", o.filesystem().logDir().toString());
                        o.result().tier().ifPresent(t -> m.put("rearmed_tier", t));
                        m.put("armed_bytes", o.result().armedBytes());
                        o.result().notArmed().ifPresent(n -> m.put("not_rearmed", n));
                        m.put("reserve", ReserveView.of(o.filesystem(), o.result().status()));
                        return m;
                    }).toList());
                } else {
                    for (Outcome<RearmResult> o : outcomes) {
                        RearmResult r = o.result();
                        out().println(o.filesystem().logDir() + ": " + r.tier()
                                .map(t -> "re-armed tier " + t + " (" + Sizes.human(r.armedBytes()) + ")")
                                .orElse("nothing re-armed: " + r.notArmed().orElse("")));
                    }
                    out().flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    private static String plural(List<Integer> tiers) {
        return (tiers.size() == 1 ? " " : "s ") + tiers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static int indexOfSamePath(List<Path> dirs, Path dir) {
        for (int i = 0; i < dirs.size(); i++) {
            if (samePath(dirs.get(i), dir)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
