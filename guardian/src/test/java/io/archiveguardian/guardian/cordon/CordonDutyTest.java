package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.disk.PressureLevel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duty's states that need no cluster, and its hook that never blocks the pass. */
class CordonDutyTest {

    @TempDir
    Path stateDir;

    private CordonSettings settings(OptionalInt brokerId) {
        return new CordonSettings(true, PressureLevel.HIGH, brokerId, stateDir, Duration.ofSeconds(1), Map.of("/data/a", "/data/a"));
    }

    @Test
    void withoutANodeIdOrAClusterTheDutyIsOffAndSaysWhy() {
        try (CordonDuty noId = new CordonDuty(settings(OptionalInt.empty()), Optional::empty, new SimpleMeterRegistry(), Clock.systemUTC());
             CordonDuty noCluster = new CordonDuty(settings(OptionalInt.of(1)), Optional::empty, new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(noId.runOnce(true, null).detail()).isEqualTo("the broker's node.id is unknown: give --broker-config or node.id");
            CordonReport off = noCluster.runOnce(true, null);
            assertThat(off.state()).isEqualTo("off");
            assertThat(off.detail()).isEqualTo("no cluster configured (bootstrap.servers)");
            assertThat(noCluster.subjectStates()).containsOnlyKeys("cordon");
        }
    }

    @Test
    void whileTheBrokerIsNotRunningTheDutyWaitsWithoutAskingTheCluster() {
        // An Admin client for a port nobody listens on: any call would fail after the timeout.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + io.archiveguardian.testsupport.Ports.free()));
             CordonDuty duty = new CordonDuty(settings(OptionalInt.of(1)), () -> Optional.of(admin),
                     new SimpleMeterRegistry(), Clock.systemUTC())) {
            long start = System.nanoTime();
            CordonReport r = duty.runOnce(false, null);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
            assertThat(r.state()).isEqualTo("waiting");
            assertThat(r.detail()).isEqualTo("the broker is not running; its config is changed only while it runs");
            assertThat(r.known()).isFalse();
        }
    }

    @Test
    void submitReturnsAtOnceWhileARunIsStuckOnTheClusterAndSkipsPassesUntilItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        int[] calls = {0};
        try (CordonDuty duty = new CordonDuty(settings(OptionalInt.of(1)), () -> {
            calls[0]++;
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }, new SimpleMeterRegistry(), Clock.systemUTC())) {
            long start = System.nanoTime();
            duty.submit(true, null);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            duty.submit(true, null);
            duty.submit(true, null);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("three submits while the first run hangs").isLessThan(5_000);
            assertThat(duty.latest()).isEmpty();
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> duty.latest().isPresent());
            assertThat(calls[0]).as("the submits during the run were skipped").isEqualTo(1);
        }
    }
}
