package io.archiveguardian.guardian.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

class AdminCallsTest {

    private final AdminCalls calls = new AdminCalls(Duration.ofMillis(200), "admin.timeout.ms");

    @Test
    void anAnswerIsReturned() {
        assertThat(calls.await(KafkaFuture.completedFuture(7), "count")).isEqualTo(7);
    }

    @Test
    void noAnswerWithinTheBoundNamesWhatWasAskedTheBoundAndItsKeyAndCancelsTheCall() {
        KafkaFutureImpl<Integer> silent = new KafkaFutureImpl<>();

        assertThatThrownBy(() -> calls.await(silent, "describe the cluster"))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("could not describe the cluster within 200 ms (admin.timeout.ms): the cluster did not answer; "
                        + "is it reachable? Check --bootstrap-server and --command-config.");
        assertThat(silent.isCancelled()).isTrue();
    }

    @Test
    void theClientsOwnDeadlineReadsAsNoAnswerToo() {
        KafkaFutureImpl<Integer> late = new KafkaFutureImpl<>();
        late.completeExceptionally(new TimeoutException("Timed out waiting for a node assignment."));

        assertThatThrownBy(() -> new AdminCalls(Duration.ofSeconds(3), "").await(late, "list topics"))
                .hasMessage("could not list topics within 3000 ms: the cluster did not answer (Timed out waiting for a node "
                        + "assignment.); is it reachable? Check --bootstrap-server and --command-config.");
    }

    @Test
    void aRefusalKeepsKafkasErrorAsTheCause() {
        KafkaFutureImpl<Void> refused = new KafkaFutureImpl<>();
        InvalidRequestException kafka = new InvalidRequestException("absolute path");
        refused.completeExceptionally(kafka);

        assertThatThrownBy(() -> calls.await(refused, "set cordoned.log.dirs"))
                .hasMessage("could not set cordoned.log.dirs: InvalidRequestException: absolute path")
                .hasCause(kafka);
    }

    @Test
    void anInterruptedWaitKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> calls.await(new KafkaFutureImpl<Integer>(), "describe topics"))
                    .hasMessage("interrupted while waiting to describe topics");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theAddressAskedIsNamedWhenTheCallerKnowsIt() {
        AdminCalls named = new AdminCalls(Duration.ofMillis(100), "admin.timeout.ms", "kafka-1:9092,kafka-2:9092");

        assertThatThrownBy(() -> named.await(new KafkaFutureImpl<Integer>(), "list the cluster's topics"))
                .hasMessage("could not list the cluster's topics within 100 ms (admin.timeout.ms): the cluster at "
                        + "kafka-1:9092,kafka-2:9092 did not answer; is it reachable? Check --bootstrap-server and "
                        + "--command-config.");
    }

    @Test
    void aMissingPermissionNamesTheOperationTheResourceAndTheGrant() {
        TopicAuthorizationException kafka = new TopicAuthorizationException("Authorization failed.", Set.of("orders"));

        assertThatThrownBy(() -> calls.await(failed(kafka), "set the retention of topic 'orders'",
                AdminCalls.Permission.of("AlterConfigs", "topic 'orders'")))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessage("could not set the retention of topic 'orders': not authorized: the client's principal lacks "
                        + "the AlterConfigs permission on topic 'orders' (Kafka: Authorization failed.). Grant it with "
                        + "kafka-acls.sh --add --operation AlterConfigs, or use --command-config with a principal that has it.")
                .hasCause(kafka);
    }

    @Test
    void aMissingPermissionNotNamedByTheCallerIsWordedFromWhatKafkaRefused() {
        assertThatThrownBy(() -> calls.await(failed(new TopicAuthorizationException("Not authorized.", Set.of("b", "a"))),
                "describe topics"))
                .hasMessage("could not describe topics: not authorized: the client's principal lacks a permission on "
                        + "topics 'a', 'b' (Kafka: Not authorized.). Grant it with kafka-acls.sh --add, or use "
                        + "--command-config with a principal that has it.");
        assertThatThrownBy(() -> calls.await(failed(new ClusterAuthorizationException("Cluster authorization failed.")),
                "describe the config of broker 1", AdminCalls.Permission.of("DescribeConfigs", "broker 1")))
                .hasMessageStartingWith("could not describe the config of broker 1: not authorized: the client's principal "
                        + "lacks the DescribeConfigs permission on the cluster (Kafka: Cluster authorization failed.).");
    }

    @Test
    void aRefusalThatMeansDoneIsNoFailure() throws Exception {
        assertThat(calls.awaitUnless(failed(new TopicExistsException("exists")), "create topic 'a'", TopicExistsException.class))
                .isEmpty();
        assertThat(calls.awaitUnless(KafkaFuture.completedFuture(3), "count", TopicExistsException.class)).contains(3);
        assertThatThrownBy(() -> calls.awaitUnless(failed(new InvalidRequestException("bad")), "create topic 'a'",
                TopicExistsException.class)).hasMessage("could not create topic 'a': InvalidRequestException: bad");
    }

    @Test
    void eachKeyIsAnsweredOrReportedAndAllShareOneDeadline() {
        Map<String, KafkaFuture<Integer>> futures = new LinkedHashMap<>();
        futures.put("a", KafkaFuture.completedFuture(1));
        futures.put("b", new KafkaFutureImpl<>());
        futures.put("c", new KafkaFutureImpl<>());
        futures.put("d", failed(new InvalidRequestException("no")));
        List<String> failures = new ArrayList<>();

        long start = System.nanoTime();
        Map<String, Integer> answers = calls.awaitEach(futures, k -> "describe " + k, k -> null,
                (k, e) -> failures.add(k + ": " + e.getMessage()));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one 200 ms deadline for all").isLessThan(Duration.ofMillis(390));
        assertThat(answers).containsExactly(Map.entry("a", 1));
        assertThat(failures).hasSize(3);
        assertThat(failures.get(0)).startsWith("b: could not describe b within 200 ms (admin.timeout.ms): the cluster did not answer");
        assertThat(failures.get(1)).startsWith("c: could not describe c within 200 ms");
        assertThat(failures.get(2)).isEqualTo("d: could not describe d: InvalidRequestException: no");
    }

    @Test
    void aTimeoutOrTheClientsDeadlineIsUnansweredARefusalIsNot() {
        KafkaFutureImpl<Integer> late = new KafkaFutureImpl<>();
        late.completeExceptionally(new TimeoutException("Timed out"));

        assertThat(AdminCalls.unanswered(catchGuardian(() -> calls.await(new KafkaFutureImpl<Integer>(), "x")))).isTrue();
        assertThat(AdminCalls.unanswered(catchGuardian(() -> calls.await(late, "x")))).isTrue();
        assertThat(AdminCalls.unanswered(catchGuardian(() -> calls.await(failed(new InvalidRequestException("no")), "x"))))
                .isFalse();
    }

    private static <T> KafkaFuture<T> failed(Throwable error) {
        KafkaFutureImpl<T> f = new KafkaFutureImpl<>();
        f.completeExceptionally(error);
        return f;
    }

    private static GuardianException catchGuardian(Runnable call) {
        try {
            call.run();
        } catch (GuardianException e) {
            return e;
        }
        throw new AssertionError("no GuardianException");
    }
}
