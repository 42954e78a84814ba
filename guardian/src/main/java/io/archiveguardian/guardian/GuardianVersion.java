package io.archiveguardian.guardian;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The guardian's version and the git revision it was built from, from the build.properties that the
 * build writes next to this class (guardian/pom.xml). Run from classes that no build wrote: version
 * "development"; built outside a git checkout: revision "unknown".
 */
public final class GuardianVersion {

    static final String UNKNOWN = "unknown";
    private static final Properties BUILD = load();

    private GuardianVersion() {
    }

    public static String current() {
        String v = GuardianVersion.class.getPackage().getImplementationVersion();
        if (v == null) {
            v = BUILD.getProperty("version");
        }
        return v == null || v.isBlank() ? "development" : v;
    }

    /** The git commit (12 hex digits) of the build, or "unknown". */
    public static String revision() {
        String r = BUILD.getProperty("revision");
        return r == null || r.isBlank() ? UNKNOWN : r;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = GuardianVersion.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is the same as none: version and revision say so
        }
        return p;
    }
}
