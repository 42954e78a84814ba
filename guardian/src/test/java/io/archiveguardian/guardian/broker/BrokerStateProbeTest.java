package io.archiveguardian.guardian.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.ChildBroker;
import io.archiveguardian.testsupport.ChildBrokerCluster;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerStateProbeTest {

    @TempDir
    Path tmp;

    private final BrokerStateProbe probe = new BrokerStateProbe();

    @Test
    void aLockHeldByAnotherProcessIsSeenWithoutTakingIt() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Path lock = logDir.resolve(".lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.tryLock()) {
            assertThat(held).isNotNull();
            LogDirBrokerState state = probe.probe(logDir);
            assertThat(state.state()).isEqualTo(BrokerState.RUNNING);
            assertThat(state.lockHolderPid()).isEqualTo(ProcessHandle.current().pid());
            // the probe did not take or break the lock
            assertThat(held.isValid()).isTrue();
        }
        assertThat(probe.probe(logDir).state()).isEqualTo(BrokerState.STOPPED_UNCLEAN);
    }

    @Test
    void aMissingLogDirIsUnknownNotAnException() {
        LogDirBrokerState state = probe.probe(tmp.resolve("nope"));
        assertThat(state.state()).isEqualTo(BrokerState.UNKNOWN);
        assertThat(state.detail()).isEqualTo("log dir does not exist or is not a directory");
    }

    @Test
    @Tag("broker")
    void tellsARunningBrokerFromACleanStopAndFromAKillMinus9() throws Exception {
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).baseDir(tmp.resolve("cluster")).build().start()) {
            ChildBroker broker = cluster.broker(1);
            Path logDir = broker.logDirs().get(0);

            LogDirBrokerState running = probe.probe(logDir);
            assertThat(running.state()).isEqualTo(BrokerState.RUNNING);
            assertThat(running.lockHolderPid()).isEqualTo(broker.pid());

            broker.stop();
            assertThat(probe.probe(logDir).state()).isEqualTo(BrokerState.STOPPED_CLEAN);

            broker.start().awaitStarted(Duration.ofSeconds(120));
            assertThat(probe.probe(logDir).state()).isEqualTo(BrokerState.RUNNING);

            broker.kill();
            LogDirBrokerState killed = probe.probe(logDir);
            assertThat(killed.state()).isEqualTo(BrokerState.STOPPED_UNCLEAN);
            assertThat(killed.detail()).contains("the next start recovers");
            assertThat(logDir.resolve(".lock")).exists();
        }
    }
}
