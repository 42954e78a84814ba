package io.archiveguardian.guardian.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad usage (an unknown option, a value an option refuses, a missing option) as every other refusal
 * is written: one line naming the value and what is allowed, then one line pointing to the
 * command's --help, instead of picocli's full usage. Exit code 2, nothing was changed.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        var err = cmd.getErr();
        String message = ex.getMessage() == null ? "bad usage" : ex.getMessage().replaceAll("\\s*\\R\\s*", " ").trim();
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions.stream().limit(3).toList()) + "?)";
            }
        }
        err.println("guardian: " + message + (message.endsWith(".") || message.endsWith("?)") ? "" : "."));
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options; nothing was changed.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
