package io.archiveguardian.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short external command (mount, df, du) and returns its output, or fails with it. */
public final class Commands {

    private Commands() {
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs the command and returns its output; throws with the output when it exits non-zero. */
    public static String check(String... command) {
        Result result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }
}
