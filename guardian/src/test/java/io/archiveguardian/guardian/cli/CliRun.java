package io.archiveguardian.guardian.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code guardian ...} in this JVM and captures its exit code and output. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
