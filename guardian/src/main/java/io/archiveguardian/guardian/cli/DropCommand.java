package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminClients;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.drop.exec.DropTool;
import java.util.List;
import java.util.OptionalLong;
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
final class DropCommand implements Callable<Integer>, ConfigOptions.PicksLogDirs {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;


    @Option(names = "--need", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Bytes to free: bytes, or a number with K, M, G, T or P (powers of 1024), decimals allowed: 20G, 1.5G. Required to plan.")
    Long need;

    @Mixin
    OutputOption output;

    @Mixin
    SidecarViewOption view;

    @ArgGroup(exclusive = true)
    Action action = new Action();

    static final class Action {
        @Option(names = "--execute", description = "Carry out the plan (the broker must be stopped; its .lock is held until the end).")
        boolean execute;

        @Option(names = "--undo", description = "Move the directories of the last drop back from the trash and re-add this broker to those partitions through the cluster (broker stopped; nothing is restored when the cluster does not answer). Refused, naming the batches, when the last drop moved nothing; --batch ID restores an earlier one.")
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

    @Option(names = "--batch", paramLabel = "ID", description = "With --undo: restore this trash batch (its directory name "
            + "in the trash, as --undo's refusal lists them) instead of the last drop's.")
    String batch;

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
    public Integer call() {
        if (purge && (action.undo || action.emptyTrash || action.finish)) {
            throw new GuardianException(ExitCodes.USAGE, "--purge goes with a plan or --execute, not with --undo, --empty-trash or --finish");
        }
        if (batch != null && !action.undo) {
            throw new GuardianException(ExitCodes.USAGE, "--batch ID goes with --undo only");
        }
        if (partitions != null && !partitions.isEmpty() && need != null) {
            throw new GuardianException(ExitCodes.USAGE, "give either --need SIZE or --partition TOPIC-N, not both");
        }
        view.validate();
        GuardianSettings settings = options.settingsForSubset();
        LocalTarget target = LocalTarget.resolve(settings, options.requestedLogDirs());
        DropTool.Request request = new DropTool.Request(mode(), settings, target,
                need == null ? OptionalLong.empty() : OptionalLong.of(need), partitions, purge, output.json(),
                java.util.Optional.ofNullable(batch), () -> view.facts(settings, target.broker(), SidecarViewOption.TIMEOUT));
        DropTool.Prepared prepared = DropTool.prepare(request); // the rules that need no cluster refuse first
        try (Admin admin = AdminClients.create(settings)) {
            return prepared.execute(admin, spec.commandLine().getOut());
        } catch (GuardianException e) {
            throw request.mode() == DropTool.Mode.UNDO ? withDerivedBootstrapHint(settings, e) : e;
        }
    }

    private DropTool.Mode mode() {
        return action.finish ? DropTool.Mode.FINISH : action.undo ? DropTool.Mode.UNDO
                : action.emptyTrash ? DropTool.Mode.EMPTY_TRASH : action.execute ? DropTool.Mode.EXECUTE : DropTool.Mode.PLAN;
    }

    /**
     * A cluster that does not answer --undo is often the stopped broker itself, when the address
     * comes from its own listeners: say so.
     */
    private static GuardianException withDerivedBootstrapHint(GuardianSettings settings, GuardianException e) {
        return ClusterConnection.derivedBootstrapWarning(settings)
                .filter(w -> e.exitCode() == ExitCodes.FAILED)
                .map(w -> new GuardianException(e.exitCode(), e.getMessage() + " " + w, e)).orElse(e);
    }
}
