package io.archiveguardian.guardian.retention;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A failed Admin call on one resource, kept so that a pass or a command can go on with the others
 * and report it. The message is {@link AdminCalls}' wording, the one every Admin wait uses.
 *
 * @param kind      what went wrong
 * @param operation the Kafka ACL operation (e.g. {@code AlterConfigs}) the call needs
 * @param resource  e.g. {@code topic 'archive'} or {@code the cluster}
 * @param message   the full sentence for the operator
 */
public record AdminFailure(Kind kind, String operation, String resource, String message) {

    public enum Kind { NOT_AUTHORIZED, UNREACHABLE, UNKNOWN_TOPIC, OTHER }

    /** The failure {@link AdminCalls} reported for {@code operation} on {@code resource}. */
    public static AdminFailure of(GuardianException e, String operation, String resource) {
        Throwable cause = e.getCause();
        Kind kind = cause instanceof AuthorizationException ? Kind.NOT_AUTHORIZED
                : AdminCalls.unanswered(e) ? Kind.UNREACHABLE
                : cause instanceof UnknownTopicOrPartitionException ? Kind.UNKNOWN_TOPIC
                : Kind.OTHER;
        return new AdminFailure(kind, operation, cause instanceof ClusterAuthorizationException ? "the cluster" : resource,
                e.getMessage());
    }
}
