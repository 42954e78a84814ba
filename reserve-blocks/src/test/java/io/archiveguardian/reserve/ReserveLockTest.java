package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Processes that work on the same reserve at the same time are serialised by its lock. */
class ReserveLockTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    private Path logDir;
    private ReserveLocation location;

    @BeforeEach
    void createLogDir() throws Exception {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        location = ReservePlacement.resolve(logDir, List.of(logDir));
    }

    @Test
    void aSecondProcessThatCannotGetTheLockInTimeIsToldWhichProcessHoldsIt() throws Exception {
        try (Child holder = Child.start("arm", logDir.toString(), Long.toString(16 * MIB), "1", "WRITE",
                Long.toString(4 * MIB))) {
            holder.awaitLine(l -> l.startsWith("PROGRESS 1 "), Duration.ofSeconds(30));
            Reserve impatient = Reserve.at(location, ReserveOptions.defaults("test")
                    .withLockTimeout(Duration.ofMillis(300)));

            // a re-arm waits politely (a release would make the holder give way: see below)
            assertThatThrownBy(() -> impatient.rearm(ArmPolicy.unconditional(), Trigger.SPACE_AVAILABLE, "test"))
                    .isInstanceOf(ReserveLockedException.class)
                    .hasMessageStartingWith("The reserve at " + location.directory() + " is locked by another process (pid="
                            + holder.pid() + " user=")
                    .hasMessageContaining("program=child arm operation=arm since=")
                    .hasMessageEndingWith("waited 300 ms. Retry when that operation finishes, or check whether the "
                            + "process is stuck (the lock goes away when it exits).");

            assertThat(holder.waitForExit(Duration.ofSeconds(30))).isZero();
        }
        assertThat(Reserve.at(location, ReserveOptions.defaults("test")).status().state()).isEqualTo(ReserveState.ARMED);
    }

    @Test
    void twoProcessesArmingAtOnceEndWithOneReserveArmedOnce() throws Exception {
        long before = Disk.dfAvailable(disk.root());
        try (Child a = Child.start("arm", logDir.toString(), Long.toString(32 * MIB), "2", "WRITE", Long.toString(32 * MIB));
             Child b = Child.start("arm", logDir.toString(), Long.toString(32 * MIB), "2", "WRITE", Long.toString(32 * MIB))) {
            assertThat(a.waitForExit(Duration.ofSeconds(60))).isZero();
            assertThat(b.waitForExit(Duration.ofSeconds(60))).isZero();
            List<String> done = List.of(a.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(1)),
                    b.awaitLine(l -> l.startsWith("DONE"), Duration.ofSeconds(1)));
            assertThat(done).containsExactlyInAnyOrder("DONE armed=[1, 2] bytes=" + 32 * MIB, "DONE armed=[] bytes=0");
        }
        ReserveStatus status = Reserve.at(location, ReserveOptions.defaults("test")).status();
        assertThat(status.state()).isEqualTo(ReserveState.ARMED);
        assertThat(status.armedBytes()).isEqualTo(32 * MIB);
        assertThat((double) Disk.dfAvailable(disk.root())).isCloseTo(before - 32.0 * MIB, within(0.5 * MIB));
        assertThat(Files.readAllLines(location.auditFile())).filteredOn(l -> l.contains("\"action\":\"arm\"")).hasSize(2);
    }

    @Test
    void threadsOfOneProcessAreSerialisedToo() throws Exception {
        Reserve reserve = Reserve.at(location, ReserveOptions.defaults("test"));
        reserve.arm(TierPlan.split(32 * MIB, 4), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.Queue<Integer> released = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> released.addAll(
                    reserve.release(ReleaseRequest.tiers(1), Trigger.CRITICAL_PRESSURE, "race").releasedTiers()));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(released).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(reserve.status().state()).isEqualTo(ReserveState.RELEASED);
    }

    @Test
    void aReleaseDoesNotWaitForASlowArmOnTheWritePathWhichGivesWay() throws Exception {
        // 4 MiB/s: tier 2 alone takes 4 s, far longer than the release may take
        try (Child armer = Child.start("arm", logDir.toString(), Long.toString(32 * MIB), "2", "WRITE",
                Long.toString(4 * MIB))) {
            armer.awaitLine(l -> l.startsWith("PROGRESS 2 "), Duration.ofSeconds(30));
            Reserve releaser = Reserve.at(location, ReserveOptions.defaults("test").withLockTimeout(Duration.ofSeconds(20)));
            long start = System.nanoTime();

            ReleaseResult released = releaser.release(ReleaseRequest.all(), Trigger.CRITICAL_PRESSURE, "urgent");

            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("the release waited %.1f s for the arm", seconds).isLessThan(2.5);
            assertThat(released.releasedTiers()).containsExactly(1);
            assertThat(armer.waitForExit(Duration.ofSeconds(30))).isZero();
            assertThat(armer.lines()).contains("DONE armed=[1] bytes=" + 16 * MIB);
            assertThat(armer.lines()).anySatisfy(l -> assertThat(l).matches("INCOMPLETE the arm of tier 2 gave way after "
                    + "[\\d.]+ MiB of 16 MiB: another process or thread is waiting to release ballast; the partial tier "
                    + "was removed"));
        }
        ReserveStatus status = Reserve.at(location, ReserveOptions.defaults("test")).status();
        assertThat(status.state()).isEqualTo(ReserveState.RELEASED);
        assertThat(location.partialFile(2)).doesNotExist();
        assertThat(location.releaseRequestFile()).doesNotExist();
    }
}
