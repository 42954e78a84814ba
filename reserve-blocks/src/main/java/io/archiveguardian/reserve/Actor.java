package io.archiveguardian.reserve;

/**
 * Who changes a reserve: recorded in the audit log, the manifest and the lock file.
 *
 * @param user    the operating-system user
 * @param pid     the process id
 * @param program what is acting, for example {@code guardian ballast release} or {@code guardian run}
 */
public record Actor(String user, long pid, String program) {

    /** This process, acting as {@code program}. */
    public static Actor current(String program) {
        return new Actor(System.getProperty("user.name", "unknown"), ProcessHandle.current().pid(), program);
    }
}
