package io.archiveguardian.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when something it needs from the machine (root, mount, a program) is
 * missing. Locally it skips, visibly. When {@code GUARDIAN_STRICT_TESTS=true} (CI sets it), a
 * missing prerequisite fails the test instead: a skipped test in CI hides the truth.
 */
public final class TestEnvironment {

    public static final String STRICT_VARIABLE = "GUARDIAN_STRICT_TESTS";

    private TestEnvironment() {
    }

    public static boolean strict() {
        String property = System.getProperty("guardian.strict.tests");
        String env = System.getenv(STRICT_VARIABLE);
        return "true".equalsIgnoreCase(property) || "true".equalsIgnoreCase(env);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips (or, in strict mode, fails) the calling test unless {@code available} holds. */
    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        String message = "requires " + what;
        if (strict()) {
            throw new AssertionError(message + " (" + STRICT_VARIABLE + "=true makes this a failure, not a skip)");
        }
        Assumptions.abort(message + "; skipped (set " + STRICT_VARIABLE + "=true to make this a failure)");
    }

    public static void requireRoot() {
        require(isRoot(), "root (to mount small filesystems)");
    }

    /** Skips or fails unless the program is on the PATH. */
    public static void requireProgram(String program) {
        require(onPath(program), "'" + program + "' on the PATH");
    }

    public static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
