package io.archiveguardian.guardian;

/** The guardian's version, from the jar's manifest; "development" when run from classes. */
public final class GuardianVersion {

    private GuardianVersion() {
    }

    public static String current() {
        String v = GuardianVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
