package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.cordon.CordonAdmin;
import io.archiveguardian.guardian.cordon.CordonRecord;
import io.archiveguardian.guardian.cordon.CordonRecordStore;
import io.archiveguardian.guardian.cordon.CordonSettings;
import io.archiveguardian.guardian.cordon.CurrentCordons;
import io.archiveguardian.guardian.cordon.LogDirCordon;
import io.archiveguardian.guardian.cordon.ManualCordon;
import io.archiveguardian.guardian.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cordon", mixinStandardHelpOptions = true,
        description = {"Cordoned log dirs of this broker (KIP-1066): status, add, remove.",
                "cordoned.log.dirs: the controller places no new replicas on a cordoned log dir. The "
                        + "running sidecar cordons a log dir at cordon.level and lifts only its own cordons; these "
                        + "commands are for the operator. Only this host's broker (node.id from --broker-config) is "
                        + "touched. Needs metadata.version 4.3-IV0 or later."},
        subcommands = {CordonCommand.Status.class, CordonCommand.Add.class, CordonCommand.Remove.class})
final class CordonCommand {

    /** What every cordon subcommand shares: the config options, --output, --logdir and the Admin client. */
    abstract static class Base implements Callable<Integer>, ConfigOptions.PicksLogDirs {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Mixin
        OutputOption output;

        CordonSettings settings;
        int brokerId;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            GuardianSettings resolved = options.settingsForSubset();
            settings = CordonSettings.of(resolved);
            OptionalInt id = settings.brokerId();
            if (id.isEmpty()) {
                throw new InvalidConfigException("The broker's node.id is unknown: give --broker-config (the broker's "
                        + "server.properties) or node.id in --config.");
            }
            brokerId = id.getAsInt();
            List<String> dirs = selected();
            Admin admin = AdminClients.create(resolved);
            try {
                return execute(resolved, dirs, admin);
            } finally {
                AdminClients.closeQuietly(admin);
            }
        }

        /** The command with a given Admin (as Kafka's LogDirsCommand): tests pass a MockAdminClient. */
        int execute(GuardianSettings resolved, List<String> dirs, Admin admin) {
            return run(new CordonAdmin(admin, brokerId, resolved.adminTimeout()),
                    new CordonRecordStore(settings.stateDir(), brokerId), dirs);
        }

        /** The log dirs to act on, as the guardian names them; exit code 2 for a --logdir that is not one of them. */
        private List<String> selected() {
            List<String> all = new ArrayList<>(settings.kafkaNames().keySet());
            List<Path> requested = options.requestedLogDirs();
            if (requested.isEmpty()) {
                return all;
            }
            List<String> picked = new ArrayList<>();
            for (Path dir : requested) {
                String wanted = dir.toString();
                if (!all.contains(wanted)) {
                    throw new InvalidConfigException("--logdir " + dir + " is not a log dir of broker " + brokerId
                            + ". Its log dirs are: " + String.join(", ", all) + ".");
                }
                picked.add(wanted);
            }
            return picked;
        }

        abstract int run(CordonAdmin kafka, CordonRecordStore store, List<String> dirs);

        void json(Object value) {
            out().println(Json.writePretty(value));
            out().flush();
        }

        void result(String verb, List<String> changed, CurrentCordons after) {
            if (output.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("broker", brokerId);
                m.put(verb, changed);
                m.put("cordoned_log_dirs", after.value());
                json(m);
            } else {
                out().println("broker " + brokerId + ": cordoned.log.dirs=" + after.value());
                out().flush();
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Shows each log dir of the broker: cordoned or not, and by whom.",
                    "By whom: the guardian (its sidecar lifts it below warn) or by hand. Also whether the "
                        + "broker itself reports it cordoned (describeLogDirs)."})
    static final class Status extends Base {
        @Override
        int run(CordonAdmin kafka, CordonRecordStore store, List<String> dirs) {
            CurrentCordons current = kafka.describe();
            CordonRecord record = store.read();
            Map<String, Boolean> reported;
            String reportError = null;
            try {
                reported = kafka.reportedByBroker();
            } catch (GuardianException e) {
                reported = Map.of();
                reportError = e.getMessage();
            }
            List<LogDirCordon> rows = ManualCordon.rows(current, record, dirs);
            if (output.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("broker", brokerId);
                m.put("cordoned_log_dirs", current.value());
                m.put("source", current.source());
                List<Map<String, Object>> list = new ArrayList<>();
                for (LogDirCordon r : rows) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("log_dir", r.logDir());
                    d.put("cordoned", r.cordoned());
                    d.put("cordoned_by", r.cordonedBy());
                    d.put("since", r.since());
                    d.put("reason", r.reason());
                    d.put("broker_reports_cordoned", reported.get(settings.kafkaName(r.logDir())));
                    list.add(d);
                }
                m.put("log_dirs", list);
                if (reportError != null) {
                    m.put("broker_report_error", reportError);
                }
                json(m);
                return ExitCodes.OK;
            }
            out().println("broker " + brokerId + ": cordoned.log.dirs=" + (current.value().isEmpty() ? "(none)" : current.value())
                    + " (" + current.source() + ")");
            for (LogDirCordon r : rows) {
                Boolean b = reported.get(settings.kafkaName(r.logDir()));
                out().println("  " + r.logDir() + "  " + (r.cordoned() ? "CORDONED by " + r.cordonedBy()
                        + (r.since() == null ? "" : " since " + r.since() + ": " + r.reason()) : "not cordoned")
                        + (b == null ? "" : b ? "  (broker reports cordoned)" : "  (broker reports not cordoned)"));
            }
            if (reportError != null) {
                out().println("  (the broker's own report is unavailable: " + reportError + ")");
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Cordons log dirs of the broker by hand (--logdir, or all of them).",
                    "A cordon set here is the operator's: the sidecar never lifts it; 'cordon remove --force' "
                        + "does."})
    static final class Add extends Base {
        @Override
        int run(CordonAdmin kafka, CordonRecordStore store, List<String> dirs) {
            CurrentCordons current = kafka.describe();
            List<String> toAdd = ManualCordon.add(kafka, settings, current, dirs);
            if (toAdd.isEmpty()) {
                if (output.text()) {
                    out().println("already cordoned: " + String.join(", ", dirs) + "; nothing changed.");
                }
                result("added", List.of(), current);
                return ExitCodes.OK;
            }
            if (output.text()) {
                out().println("cordoned by hand: " + String.join(", ", toAdd));
            }
            result("added", toAdd, kafka.describeUntil(c -> toAdd.stream().allMatch(c::covers)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Lifts the cordon of log dirs of the broker (--logdir, or all of them).",
                    "A cordon the guardian did not set needs --force (exit code 3 without it, nothing "
                        + "changed). While a disk is still at cordon.level, the running sidecar cordons its log dir "
                        + "again."})
    static final class Remove extends Base {
        @Option(names = "--force", description = "Also lift cordons the guardian did not set (set by hand).")
        boolean force;

        @Override
        int run(CordonAdmin kafka, CordonRecordStore store, List<String> dirs) {
            CurrentCordons current = kafka.describe();
            List<String> listed = ManualCordon.remove(kafka, store, settings, brokerId, current, dirs, force);
            if (listed.isEmpty()) {
                if (output.text()) {
                    out().println("not cordoned: " + String.join(", ", dirs) + "; nothing changed.");
                }
                result("removed", List.of(), current);
                return ExitCodes.OK;
            }
            if (output.text()) {
                out().println("lifted the cordon of: " + String.join(", ", listed) + " (at " + Instant.now() + "). "
                        + "While a disk is still at cordon.level, the running sidecar cordons its log dir again.");
            }
            result("removed", listed, kafka.describeUntil(c -> listed.stream().noneMatch(c::lists)));
            return ExitCodes.OK;
        }
    }
}
