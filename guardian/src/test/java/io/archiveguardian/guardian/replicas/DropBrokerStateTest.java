package io.archiveguardian.guardian.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropBrokerStateTest {

    @TempDir
    Path logDir;

    private final ProcLocksBrokerState probe = new ProcLocksBrokerState();

    @Test
    void aLogDirWhoseLockFileIsLockedCountsAsRunningAndReleasedAsStopped() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/locks")), "needs /proc/locks (Linux)");
        Path lockFile = logDir.resolve(".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            assertThat(lock).isNotNull();
            assertThat(probe.isRunning(List.of(logDir))).isTrue();
            lock.release();
            assertThat(probe.isRunning(List.of(logDir))).isFalse();
        }
        assertThat(lockFile).exists();
    }

    @Test
    void aLogDirWithoutALockFileHasNoRunningBroker() {
        assertThat(probe.isRunning(List.of(logDir))).isFalse();
    }

    @Test
    void procLocksLinesAreParsedIncludingBlockedWaiters(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("locks");
        Files.writeString(fake, """
                1: POSIX  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF
                1: -> POSIX  ADVISORY  WRITE 4343 fd:01:7654321 0 EOF
                2: FLOCK  ADVISORY  WRITE 99 00:17:42 0 EOF
                """);

        assertThat(new ProcLocksBrokerState(fake).lockedInodes()).containsExactlyInAnyOrder(1234567L, 7654321L, 42L);
    }
}
