package io.archiveguardian.guardian.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "TODO")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new NotYetImplemented("demo");
    }
}
