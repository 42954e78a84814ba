package io.archiveguardian.guardian.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "guardian",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Kafka Archive Guardian: keeps an infinite-retention archive broker out of the "
                        + "unclean-exit / disk-full loop.",
                "It watches every data disk and log dir, keeps tiered ballast that it frees before a "
                        + "recovery needs the room, enforces infinite retention and flags the replicas that are "
                        + "safe to drop.",
                ""},
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0   ok",
                "  1   failed",
                "  2   bad usage or configuration (nothing was changed)",
                "  3   a check found a problem (drift, unsafe state, broker running)",
                "  10  disk too full to start the broker safely even after releasing all ballast",
                "",
                "Docs: docs/ in the distribution; configuration keys: docs/configuration.md."},
        subcommands = {
                RunCommand.class,
                StatusCommand.class,
                PrestartCommand.class,
                BallastCommand.class,
                RetentionCommand.class,
                DropCandidatesCommand.class,
                DropCommand.class,
                CordonCommand.class,
                DemoCommand.class,
                ClusterCommand.class,
                AutoComplete.GenerateCompletion.class
        })
public final class GuardianCommand {

    private static volatile boolean keepsRunning;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of unexpected errors and more detail.")
    boolean verbose;

    boolean verbose() {
        return verbose;
    }

    /** Set by long-running commands whose threads outlive {@code execute} (none today). */
    static boolean keepsRunning() {
        return keepsRunning;
    }
}
