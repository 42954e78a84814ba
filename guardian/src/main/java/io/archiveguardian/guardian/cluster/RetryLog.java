package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.GuardianException;
import org.slf4j.Logger;

/**
 * The log of one thing the sidecar retries against the cluster (start the cluster view, publish,
 * refresh drop candidates): the first failure of a run of failures is said once, the repeats only
 * at debug, and the first success after them at info. A cluster that does not answer at all is
 * {@link ClusterConnection}'s warning ("the cluster does not answer", with a summary while it
 * lasts), so here it is only info; any other failure (refused, not authorized) is a warning.
 */
public final class RetryLog {

    private final Logger log;
    private final String what;
    private boolean failing;

    /** @param what what is retried, for the success line: "cluster view: publishing" */
    public RetryLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** One more failure; {@code message} says what failed and why. */
    public synchronized void failed(Throwable cause, String message) {
        if (failing) {
            log.debug(message);
            return;
        }
        failing = true;
        String line = message + " (retried; said again when it works)";
        if (silentCluster(cause)) {
            log.info(line);
        } else {
            log.warn(line);
        }
    }

    /** A success; says so once after failures. */
    public synchronized void succeeded() {
        if (failing) {
            failing = false;
            log.info("{} works again", what);
        }
    }

    private static boolean silentCluster(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof GuardianException g && AdminCalls.unanswered(g)
                    || t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
