package io.archiveguardian.guardian.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** {@code guardian}: main → {@link #execute}, so tests run commands without exiting the JVM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (code != 0 || !GuardianCommand.keepsRunning()) {
            System.exit(code);
        }
    }

    /** Runs one command with the given writers and returns its exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        GuardianCommand root = new GuardianCommand();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new ExitCodeMapper(root));
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        ConfigOptions.describeLogDir(cl);
        CompletionHelp.align(cl.getSubcommands().get("generate-completion"));
        return cl;
    }
}
