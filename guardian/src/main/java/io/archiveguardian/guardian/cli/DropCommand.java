package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.exec.AuditLog;
import io.archiveguardian.guardian.cli.ByteSizeConverter;
import io.archiveguardian.guardian.drop.observe.DropAdvisor;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.exec.DropExecutor;
import io.archiveguardian.guardian.drop.render.DropJson;
import io.archiveguardian.guardian.drop.exec.DropMarker;
import io.archiveguardian.guardian.drop.render.DropText;
import io.archiveguardian.guardian.drop.exec.DropTrash;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.drop.exec.TrashBatch;
import io.archiveguardian.guardian.drop.exec.TrashMaintenance;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drop", mixinStandardHelpOptions = true,
        description = {"Plans, and with --execute carries out, the guarded drop of replicas from this broker's "
                        + "log dirs.",
                "All log dirs, or those --logdir picks: reassign the replicas away (to the broker with "
                        + "the most room, else a lower replication factor), then move the local directories to the "
                        + "guardian trash (same disk: frees nothing until deleted), or with --purge delete them "
                        + "(frees their bytes, no undo). --execute only while the broker is stopped; it holds the "
                        + "broker's .lock until it ends, so a broker start meanwhile fails. --partition carries out "
                        + "the plan prestart printed; --finish completes a drop that died. See docs/drop.md."})
final class DropCommand implements Callable<Integer> {

    private static final BrokerStateProbe brokerState = new BrokerStateProbe();

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;


    @Option(names = "--need", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Bytes to free: bytes, or a number with K, M, G, T or P (powers of 1024), decimals allowed: 20G, 1.5G. Required to plan.")
    Long need;

    @Mixin
    OutputOption output;

    @ArgGroup(exclusive = true)
    Action action = new Action();

    static final class Action {
        @Option(names = "--execute", description = "Carry out the plan (the broker must be stopped; its .lock is held until the end).")
        boolean execute;

        @Option(names = "--undo", description = "Move the last dropped directories back from the trash and re-add this broker to those partitions through the cluster (broker stopped; nothing is restored when the cluster does not answer).")
        boolean undo;

        @Option(names = "--empty-trash", description = "Delete trashed directories whose drop is confirmed (broker running again, partitions no longer assigned to it).")
        boolean emptyTrash;

        @Option(names = "--finish", description = "Finish a drop that died (kill -9, power): reassign, then move (and with its --purge, delete) "
                + "exactly the directories it named. Broker stopped.")
        boolean finish;
    }

    @Option(names = "--partition", paramLabel = "TOPIC-N", converter = PartitionConverter.class,
            description = "Drop exactly this replica (repeatable), as prestart's plan names them; instead of --need.")
    List<TopicPartition> partitions;

    @Option(names = "--purge", description = "Delete the local copies once the controller confirmed the reassignment, instead of "
            + "keeping them in the trash: frees their bytes on disk, NO UNDO. The plan says so before --execute.")
    boolean purge;

    /** TOPIC-N: the topic is everything before the last '-'. */
    static final class PartitionConverter implements picocli.CommandLine.ITypeConverter<TopicPartition> {
        @Override
        public TopicPartition convert(String value) {
            int dash = value.lastIndexOf('-');
            try {
                if (dash > 0) {
                    int partition = Integer.parseInt(value.substring(dash + 1));
                    if (partition >= 0) {
                        return new TopicPartition(value.substring(0, dash), partition);
                    }
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a partition: use TOPIC-N, e.g. archive-4");
        }
    }

    @Override
    public Integer call() throws Exception {
        GuardianSettings settings = options.settingsForSubset();
        LocalTarget target = LocalTarget.resolve(settings, options.requestedLogDirs());
        PrintWriter out = spec.commandLine().getOut();
        if (purge && (action.undo || action.emptyTrash || action.finish)) {
            throw new GuardianException(ExitCodes.USAGE, "--purge goes with a plan or --execute, not with --undo, --empty-trash or --finish");
        }
        if (partitions != null && !partitions.isEmpty() && need != null) {
            throw new GuardianException(ExitCodes.USAGE, "give either --need SIZE or --partition TOPIC-N, not both");
        }
        boolean changes = action.execute || action.undo || action.emptyTrash || action.finish;
        Map<Path, DropTrash> trashes = changes ? trashes(settings, target) : Map.of();
        AuditLog audit = changes ? new AuditLog(auditLog(settings, trashes, target), Clock.systemUTC()) : null;
        if (action.finish || action.undo) {
            requireStopped(settings, audit, action.finish ? "finish" : "undo");
            Optional<DropMarker> dead = deadDrop(trashes);
            dead.ifPresent(m -> requireCovered(m, target, action.finish ? "--finish" : "--undo"));
            if (action.finish) {
                DropMarker marker = dead.orElseThrow(() -> new GuardianException(ExitCodes.CHECK_FAILED,
                        "no interrupted drop to finish next to " + target.logDirs() + "; nothing was changed."));
                try (Admin admin = AdminClients.create(settings)) {
                    Duration wait = Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_REASSIGNMENT_TIMEOUT_MS));
                    new DropExecutor(admin, Clock.systemUTC(), settings.adminTimeout(), wait, audit, out).finish(marker, target, trashes);
                }
                out.println("Finished the interrupted drop. Audit log: " + audit.file());
                out.flush();
                return ExitCodes.OK;
            }
            boolean unmoved = dead.isPresent() && !"moving".equals(dead.get().phase());
            Map<DropTrash, TrashBatch> plan = unmoved ? Map.of() : TrashMaintenance.undoPlan(target, trashes);
            try (Admin admin = AdminClients.create(settings)) {
                if (unmoved) {
                    return new TrashMaintenance(audit, out).undoUnmoved(admin, settings.adminTimeout(), dead.get(), trashes);
                }
                int code = new TrashMaintenance(audit, out).undo(admin, settings.adminTimeout(), target, plan);
                dead.ifPresent(m -> TrashMaintenance.clearMarkers(trashes));
                return code;
            } catch (GuardianException e) {
                throw withDerivedBootstrapHint(settings, e);
            }
        }
        if (action.emptyTrash) {
            if (!brokerState.mayBeRunning(settings.logDirs())) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "the broker on this host is not running; trashed data "
                        + "is deleted only after it has started again and the reassignments are confirmed.");
            }
            try (Admin admin = AdminClients.create(settings)) {
                return new TrashMaintenance(audit, out).emptyTrash(admin, settings.adminTimeout(), target, trashes);
            }
        }
        boolean pinned = partitions != null && !partitions.isEmpty();
        if (need == null && !pinned) {
            throw new GuardianException(ExitCodes.USAGE, "--need SIZE or --partition TOPIC-N is required to plan a drop, e.g. --need 20G");
        }
        if (action.execute) {
            requireStopped(settings, audit, "execute");
            Optional<DropMarker> dead = deadDrop(trashes);
            if (dead.isPresent()) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "an earlier drop did not finish (phase " + dead.get().phase()
                        + "): run 'guardian drop --finish' or 'guardian drop --undo' first; nothing was changed.");
            }
        }
        try (Admin admin = AdminClients.create(settings)) {
            DropAdvisor advisor = new DropAdvisor(admin, settings.adminTimeout(), Clock.systemUTC()).withLocalDiskBytes();
            DropCandidates planned = pinned ? advisor.pinned(target.broker(), target.logDirs(), partitions)
                    : advisor.candidates(target.broker(), target.logDirs(), need);
            DropCandidates candidates = new DropCandidates(planned.snapshot(), planned.request(), planned.replicas(),
                    planned.plan().withPurge(purge));
            print(out, candidates);
            if (!action.execute) {
                if (output.text()) {
                    out.println("Nothing was changed. To carry it out, stop the broker and run again with --execute.");
                }
                out.flush();
                return candidates.plan().sufficient() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
            }
            Duration wait = Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_REASSIGNMENT_TIMEOUT_MS));
            PrintWriter progress = output.text() ? out : new PrintWriter(Writer.nullWriter());
            new DropExecutor(admin, Clock.systemUTC(), settings.adminTimeout(), wait, audit, progress)
                    .execute(candidates, target, trashes, purge);
            progress.println("Done. Audit log: " + audit.file() + (purge ? "" : ". Once the broker runs again, free the "
                    + "space with 'guardian drop --empty-trash', or restore with 'guardian drop --undo' before it starts."));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /**
     * An interrupted drop is finished or undone as a whole: every log dir it moved directories from
     * must be among the targets (exit 2 naming the --logdir to add, nothing changed).
     */
    private static void requireCovered(DropMarker dead, LocalTarget target, String action) {
        List<String> missing = dead.batches().stream().map(TrashBatch::logDir).distinct()
                .filter(dir -> !target.logDirs().contains(Path.of(dir))).toList();
        if (!missing.isEmpty()) {
            throw new GuardianException(ExitCodes.USAGE, "the interrupted drop (pid " + dead.pid() + ", started "
                    + dead.startedAt() + ") also moved directories of " + String.join(", ", missing) + ", which --logdir "
                    + "leaves out; " + action + " covers the whole drop: add " + missing.stream().map(d -> "--logdir " + d)
                    .collect(java.util.stream.Collectors.joining(" ")) + " (or leave --logdir out). Nothing was changed.");
        }
    }

    /** A marker left by a drop whose process is gone; a live one means a drop runs now (exit 3). */
    private static Optional<DropMarker> deadDrop(Map<Path, DropTrash> trashes) {
        for (DropTrash trash : trashes.values()) {
            Optional<DropMarker> m = DropMarker.read(trash.root());
            if (m.isPresent() && m.get().holderAlive()) {
                throw new GuardianException(ExitCodes.CHECK_FAILED, "another drop is running (pid " + m.get().pid()
                        + ", phase " + m.get().phase() + "); nothing was changed.");
            }
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    private void requireStopped(GuardianSettings settings, AuditLog audit, String what) {
        if (brokerState.mayBeRunning(settings.logDirs())) {
            audit.record("refused", Json.MAPPER.createObjectNode().put("command", what)
                    .put("detail", "the broker on this host is running"));
            throw new GuardianException(ExitCodes.CHECK_FAILED, "the broker on this host is running (a process holds the lock "
                    + "on .lock in " + settings.logDirs() + "). Stop it first; nothing was changed.");
        }
    }

    private void print(PrintWriter out, DropCandidates candidates) throws Exception {
        if (output.json()) {
            out.println(DropJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(DropJson.planWithHeader(candidates)));
        } else {
            out.print(DropText.plan(candidates));
        }
        out.flush();
    }

    private static Map<Path, DropTrash> trashes(GuardianSettings settings, LocalTarget target) {
        String base = settings.config().getString(GuardianConfig.DROP_TRASH_DIR);
        Optional<Path> basePath = base.isBlank() ? Optional.empty() : Optional.of(Path.of(base));
        Map<Path, DropTrash> trashes = new LinkedHashMap<>();
        for (Path dir : target.logDirs()) {
            trashes.put(dir, DropTrash.forLogDir(dir, basePath, settings.logDirs()));
        }
        return trashes;
    }

    private static Path auditLog(GuardianSettings settings, Map<Path, DropTrash> trashes, LocalTarget target) {
        String configured = settings.config().getString(GuardianConfig.DROP_AUDIT_LOG);
        return configured.isBlank() ? trashes.get(target.logDirs().get(0)).root().resolve("audit.jsonl") : Path.of(configured);
    }

    /**
     * A cluster that does not answer --undo is often the stopped broker itself, when the address
     * comes from its own listeners: say so.
     */
    private static GuardianException withDerivedBootstrapHint(GuardianSettings settings, GuardianException e) {
        return io.archiveguardian.guardian.cluster.ClusterConnection.derivedBootstrapWarning(settings)
                .filter(w -> e.exitCode() == ExitCodes.FAILED)
                .map(w -> new GuardianException(e.exitCode(), e.getMessage() + " " + w, e)).orElse(e);
    }
}
