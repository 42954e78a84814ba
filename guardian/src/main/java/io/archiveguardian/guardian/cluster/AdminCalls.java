package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/**
 * Waits for an Admin call within a bound and turns every way it can fail into a
 * {@link GuardianException} (exit code 1) that names what was asked: a cluster that does not answer
 * (our bound, or the client's own deadline coming first) reads the same either way. The Kafka error,
 * when there is one, stays the cause, so that a caller can tell a specific refusal apart.
 */
public final class AdminCalls {

    private final Duration timeout;
    private final String timeoutKey;

    /**
     * @param timeout    how long to wait for each answer
     * @param timeoutKey the key that sets it, named in the message ("admin.timeout.ms"); empty when
     *                   the caller's timeout has no single key
     */
    public AdminCalls(Duration timeout, String timeoutKey) {
        this.timeout = timeout;
        this.timeoutKey = timeoutKey;
    }

    /** The answer of {@code future}; {@code what} completes "could not ..." (e.g. "describe the cluster"). */
    public <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardianException(ExitCodes.FAILED, "interrupted while waiting to " + what, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw noAnswer(what, "", e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause() == null ? e : e.getCause());
        }
    }

    /** The failure of a call that completed with {@code cause}, worded as {@link #await} words it. */
    public GuardianException failure(String what, Throwable cause) {
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return noAnswer(what, " (" + cause.getMessage() + ")", cause);
        }
        return new GuardianException(ExitCodes.FAILED, "could not " + what + ": " + cause.getClass().getSimpleName()
                + ": " + cause.getMessage(), cause);
    }

    private GuardianException noAnswer(String what, String detail, Throwable cause) {
        return new GuardianException(ExitCodes.FAILED, "could not " + what + " within " + timeout.toMillis() + " ms"
                + (timeoutKey.isEmpty() ? "" : " (" + timeoutKey + ")") + ": the cluster did not answer" + detail
                + "; is it reachable? Check --bootstrap-server and --command-config.", cause);
    }
}
