package io.archiveguardian.guardian.duty;

import java.util.concurrent.ThreadFactory;

/** The one factory of the sidecar's threads: daemon threads with a name that says what they do. */
public final class Daemons {

    private Daemons() {
    }

    /** Threads named {@code name}: daemons, so a thread left running never keeps the JVM alive. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
