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

    @Test
    void brokerAddressReplacesTheListenersOfTheBrokersOwnConfigForTheConnect() throws Exception {
        try (java.net.ServerSocket broker = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // As a companion pod sees it: the broker's own listeners name a wildcard (its pod), which
            // would be the companion's own loopback; broker.address names the broker pod.
            java.util.Map<String, String> props = java.util.Map.of("listeners", "PLAIN://0.0.0.0:1");
            BrokerStateProbe fromListeners = BrokerStateProbe.forBroker(props, "");
            assertThat(fromListeners.listener().orElseThrow().toString()).isEqualTo("127.0.0.1:1");
            BrokerStateProbe fromAddress = BrokerStateProbe.forBroker(props, " localhost:" + broker.getLocalPort() + " ");
            assertThat(fromAddress.listener().orElseThrow().toString()).isEqualTo("localhost:" + broker.getLocalPort());
            assertThat(fromAddress.listener().orElseThrow().probe()).isEqualTo(ListenerProbe.Answer.ACCEPTS);
            assertThat(ListenerProbe.at("[::1]:9092").toString()).isEqualTo("[::1]:9092");
        }
    }
}
