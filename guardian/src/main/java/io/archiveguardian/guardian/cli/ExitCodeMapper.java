package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become exit codes. An expected failure
 * ({@link GuardianException}) prints one line; anything else prints one line and, with
 * {@code --verbose}, the stack trace. Bad usage is picocli's own (exit code 2).
 */
final class ExitCodeMapper implements IExecutionExceptionHandler {

    private final GuardianCommand root;

    ExitCodeMapper(GuardianCommand root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        var err = cmd.getErr();
        if (ex instanceof GuardianException g) {
            err.println("guardian: " + g.getMessage());
            if (root.verbose()) {
                ex.printStackTrace(err);
            }
            err.flush();
            return g.exitCode();
        }
        err.println("guardian: unexpected error: " + ex + (root.verbose() ? "" : " (run with --verbose for the stack trace)"));
        if (root.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
    }
}
