package io.archiveguardian.guardian.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import java.time.Duration;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
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
}
