package io.archiveguardian.guardian.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "prestart", mixinStandardHelpOptions = true,
        description = "Pre-start check for ExecStartPre / init containers: frees ballast before a recovery needs it.")
final class PrestartCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new NotYetImplemented("prestart");
    }
}
