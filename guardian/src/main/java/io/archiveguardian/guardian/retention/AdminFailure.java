package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A failed Admin call, explained for the operator: which operation on which resource, and why.
 *
 * @param kind      what went wrong
 * @param operation the Kafka ACL operation (e.g. {@code AlterConfigs}) or Admin call that failed
 * @param resource  e.g. {@code topic 'archive'} or {@code the cluster}
 * @param message   the full sentence for the operator
 */
public record AdminFailure(Kind kind, String operation, String resource, String message) {

    public enum Kind { NOT_AUTHORIZED, UNREACHABLE, UNKNOWN_TOPIC, OTHER }

    /** Explains {@code error}, thrown by {@code operation} on {@code resource}. */
    public static AdminFailure of(Throwable error, String operation, String resource, String bootstrapServers,
                                  Duration timeout) {
        Throwable e = unwrap(error);
        if (e instanceof AuthorizationException) {
            String on = e instanceof ClusterAuthorizationException ? "the cluster" : resource;
            return new AdminFailure(Kind.NOT_AUTHORIZED, operation, on, "Not authorized: the client's principal lacks the "
                    + operation + " permission on " + on + " (Kafka: " + e.getMessage() + "). Grant it with "
                    + "kafka-acls.sh --add --operation " + operation + ", or use --command-config with a principal "
                    + "that has it.");
        }
        if (e instanceof TimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return new AdminFailure(Kind.UNREACHABLE, operation, resource, "Kafka cluster unreachable: no answer from "
                    + "bootstrap servers " + bootstrapServers + " within " + timeout.toMillis() + " ms (" + operation
                    + " on " + resource + "). Check --bootstrap-server / bootstrap.servers, the network and that the "
                    + "brokers are up.");
        }
        if (e instanceof UnknownTopicOrPartitionException) {
            return new AdminFailure(Kind.UNKNOWN_TOPIC, operation, resource, operation + " on " + resource
                    + " failed: the topic does not exist (deleted meanwhile?).");
        }
        return new AdminFailure(Kind.OTHER, operation, resource, operation + " on " + resource + " failed: " + e);
    }

    /** Exit code 1 for every kind: the command could not do its job. */
    public GuardianException toException() {
        return new GuardianException(ExitCodes.FAILED, message);
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
