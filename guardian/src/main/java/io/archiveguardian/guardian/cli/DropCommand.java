package io.archiveguardian.guardian.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "drop", mixinStandardHelpOptions = true,
        description = "Plans, and with --execute carries out, the guarded drop of replicas from a stopped broker.")
final class DropCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new NotYetImplemented("drop");
    }
}
