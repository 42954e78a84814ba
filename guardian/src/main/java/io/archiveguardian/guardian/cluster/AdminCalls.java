package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Every wait for an Admin call goes through here: bounded, and every way it can fail turned into a
 * {@link GuardianException} (exit code 1) in one wording that names what was asked:
 * <ul>
 * <li>no answer (our bound, or the client's own deadline coming first; an unreachable cluster reads
 *     the same): "could not list topics within 3000 ms (admin.timeout.ms): the cluster did not
 *     answer; is it reachable? Check --bootstrap-server and --command-config."</li>
 * <li>a missing permission: "could not set the retention of topic 'a': not authorized: the client's
 *     principal lacks the AlterConfigs permission on topic 'a' (Kafka: ...). Grant it with
 *     kafka-acls.sh --add --operation AlterConfigs, or use --command-config with a principal that has
 *     it."</li>
 * <li>any other refusal: "could not set cordoned.log.dirs: InvalidRequestException: absolute path".</li>
 * </ul>
 * The Kafka error, when there is one, stays the cause, so that a caller can tell a specific refusal
 * apart.
 */
public final class AdminCalls {

    private static final long NO_DEADLINE = Long.MIN_VALUE;

    private final Duration timeout;
    private final String timeoutKey;
    private final String bootstrapServers;
    /** {@link System#nanoTime()} by which every call must have answered; {@link #NO_DEADLINE}: each call gets the timeout. */
    private final long deadline;

    /**
     * @param timeout    how long to wait for each answer
     * @param timeoutKey the key that sets it, named in the message ("admin.timeout.ms"); empty when
     *                   the caller's timeout has no single key
     */
    public AdminCalls(Duration timeout, String timeoutKey) {
        this(timeout, timeoutKey, "");
    }

    /**
     * @param bootstrapServers the address asked, named in the message when the cluster does not
     *                         answer ("the cluster at host:9092 did not answer"); empty to leave it out
     */
    public AdminCalls(Duration timeout, String timeoutKey, String bootstrapServers) {
        this(timeout, timeoutKey, bootstrapServers, NO_DEADLINE);
    }

    private AdminCalls(Duration timeout, String timeoutKey, String bootstrapServers, long deadline) {
        this.timeout = timeout;
        this.timeoutKey = timeoutKey;
        this.bootstrapServers = bootstrapServers;
        this.deadline = deadline;
    }

    /** The permission a call needs, named when the cluster refuses it for want of that permission. */
    public record Permission(String operation, String resource) {
        /** @param operation as kafka-acls.sh --operation takes it ("DescribeConfigs"); @param resource "topic 'a'" */
        public static Permission of(String operation, String resource) {
            return new Permission(operation, resource);
        }
    }

    /**
     * The same calls, all bounded by one deadline {@code timeout} from now (a question that takes
     * several calls); the message still names the whole timeout.
     */
    public AdminCalls oneDeadline() {
        return new AdminCalls(timeout, timeoutKey, bootstrapServers, System.nanoTime() + timeout.toNanos());
    }

    /**
     * The bound to give an Admin call's options ({@code timeoutMs}): the timeout, or what is left of
     * the deadline; at least 1 ms.
     */
    public int timeoutMs() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(waitNanos())));
    }

    /** The answer of {@code future}; {@code what} completes "could not ..." (e.g. "describe the cluster"). */
    public <T> T await(KafkaFuture<T> future, String what) {
        return await(future, what, null);
    }

    /** As {@link #await(KafkaFuture, String)}, naming the permission {@code needs} when the cluster refuses for want of it. */
    public <T> T await(KafkaFuture<T> future, String what, Permission needs) {
        try {
            return awaitInterruptibly(future, what, needs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardianException(ExitCodes.FAILED, "interrupted while waiting to " + what, e);
        }
    }

    /**
     * As {@link #await(KafkaFuture, String)}, but an interrupt is thrown as it is: for a scheduled
     * task that treats it as the end of its work.
     */
    public <T> T awaitInterruptibly(KafkaFuture<T> future, String what) throws InterruptedException {
        return awaitInterruptibly(future, what, null);
    }

    private <T> T awaitInterruptibly(KafkaFuture<T> future, String what, Permission needs) throws InterruptedException {
        try {
            return future.get(waitNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw noAnswer(what, "", e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause() == null ? e : e.getCause(), needs);
        }
    }

    /**
     * The answer of a call whose refusal with {@code meansDone} is no failure (a topic that already
     * exists, say): empty then. Any other failure as {@link #await(KafkaFuture, String)} says it.
     */
    public <T> Optional<T> awaitUnless(KafkaFuture<T> future, String what, Class<? extends Throwable> meansDone)
            throws InterruptedException {
        try {
            return Optional.ofNullable(awaitInterruptibly(future, what, null));
        } catch (GuardianException e) {
            if (meansDone.isInstance(e.getCause())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The answers of a call with one future per key (describeConfigs, alterPartitionReassignments,
     * ...), all within one deadline; a key whose answer failed is left out and given to
     * {@code failed}, in the wording of {@link #await(KafkaFuture, String)}.
     *
     * @param what  completes "could not ..." for a key
     * @param needs the permission a key needs; null when not known
     * @return the answers, in the order of {@code futures}
     */
    public <K, T> Map<K, T> awaitEach(Map<K, KafkaFuture<T>> futures, Function<K, String> what,
                                      Function<K, Permission> needs, BiConsumer<K, GuardianException> failed) {
        AdminCalls shared = deadline == NO_DEADLINE ? oneDeadline() : this;
        Map<K, T> answers = new LinkedHashMap<>();
        futures.forEach((key, future) -> {
            try {
                answers.put(key, shared.await(future, what.apply(key), needs.apply(key)));
            } catch (GuardianException e) {
                failed.accept(key, e);
            }
        });
        return answers;
    }

    /** The failure of a call that completed with {@code cause}, worded as {@link #await} words it. */
    public GuardianException failure(String what, Throwable cause) {
        return failure(what, cause, null);
    }

    private GuardianException failure(String what, Throwable cause, Permission needs) {
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return noAnswer(what, " (" + cause.getMessage() + ")", cause);
        }
        if (cause instanceof AuthorizationException) {
            return notAuthorized(what, (AuthorizationException) cause, needs);
        }
        return new GuardianException(ExitCodes.FAILED, "could not " + what + ": " + cause.getClass().getSimpleName()
                + ": " + cause.getMessage(), cause);
    }

    /** Whether {@code e}, as this class throws it, says that the cluster did not answer (rather than refused). */
    public static boolean unanswered(GuardianException e) {
        return e.getCause() instanceof TimeoutException
                || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    private GuardianException noAnswer(String what, String detail, Throwable cause) {
        return new GuardianException(ExitCodes.FAILED, "could not " + what + " within " + timeout.toMillis() + " ms"
                + (timeoutKey.isEmpty() ? "" : " (" + timeoutKey + ")") + ": the cluster"
                + (bootstrapServers.isEmpty() ? "" : " at " + bootstrapServers) + " did not answer" + detail
                + "; is it reachable? Check --bootstrap-server and --command-config.", cause);
    }

    private static GuardianException notAuthorized(String what, AuthorizationException cause, Permission needs) {
        String on = cause instanceof ClusterAuthorizationException ? "the cluster"
                : needs != null ? needs.resource() : refusedResource(cause);
        String lacks = needs != null ? "the " + needs.operation() + " permission" : "a permission";
        return new GuardianException(ExitCodes.FAILED, "could not " + what + ": not authorized: the client's principal "
                + "lacks " + lacks + (on == null ? " this needs" : " on " + on) + " (Kafka: " + cause.getMessage()
                + "). Grant it with kafka-acls.sh --add" + (needs != null ? " --operation " + needs.operation() : "")
                + ", or use --command-config with a principal that has it.", cause);
    }

    /** What Kafka says it refused, when it says: the topics or the group; null otherwise. */
    private static String refusedResource(AuthorizationException e) {
        if (e instanceof TopicAuthorizationException t && !t.unauthorizedTopics().isEmpty()) {
            Set<String> topics = t.unauthorizedTopics();
            return (topics.size() == 1 ? "topic " : "topics ")
                    + topics.stream().sorted().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        }
        if (e instanceof GroupAuthorizationException g && g.groupId() != null) {
            return "group '" + g.groupId() + "'";
        }
        return null;
    }

    private long waitNanos() {
        return deadline == NO_DEADLINE ? timeout.toNanos() : Math.max(1, deadline - System.nanoTime());
    }
}
