package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusal {@code drop --execute} relies on: a locked log dir means the broker may be running. */
class DropBrokerStateTest {

    @TempDir
    Path logDir;

    private final BrokerStateProbe probe = new BrokerStateProbe();

    @Test
    void aLogDirWhoseLockFileIsLockedCountsAsRunningAndReleasedAsStopped() throws Exception {
        TestEnvironment.require(Files.isReadable(Path.of("/proc/locks")), "/proc/locks (Linux)");
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Path lockFile = logDir.resolve(".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            assertThat(lock).isNotNull();
            assertThat(probe.mayBeRunning(List.of(logDir))).isTrue();
            lock.release();
            assertThat(probe.mayBeRunning(List.of(logDir))).isFalse();
        }
        assertThat(lockFile).exists();
    }

    @Test
    void aLogDirWithoutALockFileHasNoRunningBroker() {
        assertThat(probe.mayBeRunning(List.of(logDir))).isFalse();
    }

    @Test
    void anUnreadableLogDirCannotRuleOutARunningBroker() {
        assertThat(probe.mayBeRunning(List.of(logDir.resolve("missing")))).isTrue();
    }
}
