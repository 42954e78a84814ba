package io.archiveguardian.grafana;

import io.archiveguardian.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's Prometheus tools (promtool, prometheus, prometheus-alertmanager). */
final class Programs {

    /** Command names from Debian's packages: `prometheus` and `prometheus-alertmanager`. */
    static final String PROMTOOL = "promtool";
    static final String PROMETHEUS = "prometheus";
    static final String ALERTMANAGER = "prometheus-alertmanager";

    record Result(int exitCode, String output) {
    }

    private Programs() {
    }

    /** Skips, or fails under GUARDIAN_STRICT_TESTS=true, when the program is not installed. */
    static void require(String program) {
        TestEnvironment.require(TestEnvironment.onPath(program),
                "'" + program + "' on the PATH (Debian packages prometheus and prometheus-alertmanager; .ci/run installs them)");
    }

    static Result run(Path workDir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(workDir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> args(String program, String... args) {
        List<String> all = new ArrayList<>();
        all.add(program);
        all.addAll(List.of(args));
        return all;
    }
}
