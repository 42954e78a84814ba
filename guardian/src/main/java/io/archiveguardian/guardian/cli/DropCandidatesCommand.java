package io.archiveguardian.guardian.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "drop-candidates", mixinStandardHelpOptions = true,
        description = "Lists the replicas on a log dir that are safe to drop, ranked to free a given amount.")
final class DropCandidatesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new NotYetImplemented("drop-candidates");
    }
}
