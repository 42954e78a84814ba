package io.archiveguardian.guardian.cli;

import picocli.CommandLine.Command;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Infinite retention on the archive topics: check (exit 3 on drift) and apply.",
        subcommands = {RetentionCommand.Check.class, RetentionCommand.Apply.class})
final class RetentionCommand {

    @Command(name = "check", description = "Lists effective retention per archive topic; exit 3 when any is finite.")
    static final class Check implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("retention check");
        }
    }

    @Command(name = "apply", description = "Sets retention.ms=-1 and retention.bytes=-1 on the archive topics.")
    static final class Apply implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("retention apply");
        }
    }
}
