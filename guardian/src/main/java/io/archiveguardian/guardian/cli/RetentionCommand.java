package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.retention.AdminFailure;
import io.archiveguardian.guardian.retention.RetentionAdmin;
import io.archiveguardian.guardian.retention.RetentionCheck;
import io.archiveguardian.guardian.retention.RetentionText;
import io.archiveguardian.guardian.retention.TopicApplyResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Infinite retention on the archive topics: check (exit 3 on drift) and apply.",
        subcommands = {RetentionCommand.Check.class, RetentionCommand.Apply.class})
final class RetentionCommand {

    /** Options shared by check and apply: the cluster, the topic selection, the output format. */
    static final class Common {
        @Mixin
        ConfigOptions options;

        @Option(names = "--topics", paramLabel = "TOPIC", split = ",",
                description = "Archive topics by name (retention.topics).")
        List<String> topics;

        @Option(names = "--topics-regex", paramLabel = "REGEX",
                description = "Archive topics by regex on the whole name; never matches __* or _guardian* (retention.topics.regex).")
        String topicsRegex;

        @Option(names = "--exclude", paramLabel = "TOPIC", split = ",",
                description = "Topics never treated as archive topics (retention.topics.exclude).")
        List<String> exclude;

        @Mixin
        OutputOption output;

        GuardianSettings settings() {
            Map<String, Object> extra = new HashMap<>();
            if (topics != null) {
                extra.put(GuardianConfig.RETENTION_TOPICS, String.join(",", topics));
            }
            if (topicsRegex != null) {
                extra.put(GuardianConfig.RETENTION_TOPICS_REGEX, topicsRegex);
            }
            if (exclude != null) {
                extra.put(GuardianConfig.RETENTION_TOPICS_EXCLUDE, String.join(",", exclude));
            }
            return options.whole(SettingsResolver.resolve(options.config(extra), false));
        }
    }

    static void warn(CommandSpec spec, RetentionCheck p) {
        p.warnings().forEach(w -> spec.commandLine().getErr().println("guardian: warning: " + w));
        spec.commandLine().getErr().flush();
    }

    static GuardianException failures(String what, List<String> messages) {
        return new GuardianException(ExitCodes.FAILED, what + String.join(" ", messages));
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Lists the effective retention of each archive topic and what apply would change.",
                    "Per topic: retention.ms and retention.bytes and where each comes from.",
                    "Exit 0: all infinite; 3: any finite; 1: the cluster could not be asked; 2: bad usage, no "
                        + "or unknown topics."})
    static final class Check implements Callable<Integer> {
        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            GuardianSettings settings = common.settings();
            Admin admin = AdminClients.create(settings);
            try {
                return execute(settings, admin);
            } finally {
                AdminClients.closeQuietly(admin);
            }
        }

        /** The check with a given Admin (as Kafka's LogDirsCommand): tests pass a MockAdminClient. */
        int execute(GuardianSettings settings, Admin admin) {
            RetentionCheck p = RetentionCheck.of(settings.config(),
                    new RetentionAdmin(admin, AdminClients.bootstrapServers(settings), settings.adminTimeout()));
            warn(spec, p);
            PrintWriter out = spec.commandLine().getOut();
            if (common.output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("selection", p.selection().describe());
                json.put("topics", p.plan().topics());
                json.put("finite_topics", p.plan().finite().size());
                json.put("errors", p.failures().stream().map(AdminFailure::message).toList());
                out.println(Json.writePretty(json));
            } else {
                RetentionText.plan(out, p.selection(), p.plan());
            }
            out.flush();
            if (!p.failures().isEmpty()) {
                throw failures("Could not check every archive topic: ",
                        p.failures().stream().map(AdminFailure::message).toList());
            }
            return p.plan().finite().isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Sets retention.ms=-1 and retention.bytes=-1 on the drifted archive topics.",
                    "With incrementalAlterConfigs. Prints the plan first; asks for confirmation unless --yes. "
                        + "Compact-only and tiered-storage topics are explained, never rewritten. Idempotent."})
    static final class Apply implements Callable<Integer> {
        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Option(names = "--yes", description = "Apply without asking.")
        boolean yes;

        @Option(names = "--dry-run", description = "Print the plan and change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            GuardianSettings settings = common.settings();
            Admin admin = AdminClients.create(settings);
            try {
                return execute(settings, admin);
            } finally {
                AdminClients.closeQuietly(admin);
            }
        }

        /** The apply with a given Admin (as Kafka's LogDirsCommand): tests pass a MockAdminClient. */
        int execute(GuardianSettings settings, Admin admin) {
            RetentionAdmin ra = new RetentionAdmin(admin, AdminClients.bootstrapServers(settings), settings.adminTimeout());
            RetentionCheck p = RetentionCheck.of(settings.config(), ra);
            warn(spec, p);
            PrintWriter out = spec.commandLine().getOut();
            boolean json = common.output.json();
            if (!json) {
                RetentionText.plan(out, p.selection(), p.plan());
            }
            if (!p.failures().isEmpty()) {
                out.flush();
                throw failures("Nothing was changed: could not describe every archive topic: ",
                        p.failures().stream().map(AdminFailure::message).toList());
            }
            List<TopicApplyResult> results = List.of();
            if (p.plan().toChange().isEmpty()) {
                if (!json) {
                    out.println("Nothing to change.");
                }
            } else if (dryRun) {
                if (!json) {
                    out.println("Dry run: nothing was changed.");
                }
            } else if (!yes && !confirmed(out, p.plan().toChange().size())) {
                out.println("Not confirmed: nothing was changed.");
                out.flush();
                return ExitCodes.OK;
            } else {
                results = ra.apply(p.plan().toChange());
                if (!json) {
                    RetentionText.results(out, results);
                }
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("selection", p.selection().describe());
                doc.put("dry_run", dryRun);
                doc.put("topics", p.plan().topics());
                doc.put("results", results);
                out.println(Json.writePretty(doc));
            }
            out.flush();
            List<TopicApplyResult> failed = results.stream().filter(r -> !r.applied()).toList();
            if (!failed.isEmpty()) {
                throw failures(failed.size() + " of " + results.size() + " topic(s) NOT changed ("
                        + failed.stream().map(TopicApplyResult::topic).collect(Collectors.joining(", ")) + "); "
                        + (results.size() - failed.size()) + " changed as listed: ",
                        failed.stream().map(r -> r.failure().map(AdminFailure::message).orElse("")).toList());
            }
            return ExitCodes.OK;
        }

        private static boolean confirmed(PrintWriter out, int topics) {
            out.print("Set retention.ms=-1 and retention.bytes=-1 on " + topics + " topic(s)? [y/N] ");
            out.flush();
            try {
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null) {
                    throw new GuardianException(ExitCodes.USAGE, "No confirmation: standard input is closed. "
                            + "Pass --yes to apply without asking, or --dry-run to only see the plan. Nothing was changed.");
                }
                String a = answer.trim().toLowerCase();
                return a.equals("y") || a.equals("yes");
            } catch (IOException e) {
                throw new GuardianException(ExitCodes.USAGE, "Cannot read the confirmation from standard input: "
                        + e.getMessage() + ". Pass --yes to apply without asking. Nothing was changed.", e);
            }
        }
    }
}
