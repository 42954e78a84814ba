package io.archiveguardian.guardian.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "TODO")
final class StatusCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new NotYetImplemented("status");
    }
}
