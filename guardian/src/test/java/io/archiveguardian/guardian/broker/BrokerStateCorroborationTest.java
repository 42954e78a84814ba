package io.archiveguardian.guardian.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock and a connect to the broker's own listener must agree; when they do not, the state is
 * UNKNOWN, which never triggers a release nor permits a drop.
 */
class BrokerStateCorroborationTest {

    @TempDir
    Path tmp;

    private Path logDir;

    @BeforeEach
    void formattedLogDir() throws Exception {
        logDir = Files.createDirectory(tmp.resolve("logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
    }

    private static BrokerStateProbe probeWithListener(int port) {
        return BrokerStateProbe.forBroker(Map.of("listeners", "PLAINTEXT://0.0.0.0:" + port + ",CONTROLLER://:1",
                "controller.listener.names", "CONTROLLER"));
    }

    @Test
    void aLockHeldByAnotherProcessIsReadWithFcntlAndNamesItsPid() throws Exception {
        assertThat(new FcntlLocks().available()).as("fcntl(F_GETLK) through JNA on this platform").isTrue();
        Process holder = holdLock(logDir.resolve(".lock"));
        try {
            assertThat(new FcntlLocks().holder(logDir.resolve(".lock"))).hasValue(holder.pid());
            LogDirBrokerState state = new BrokerStateProbe().probe(logDir);
            assertThat(state.state()).isEqualTo(BrokerState.RUNNING);
            assertThat(state.lockHolderPid()).isEqualTo(holder.pid());
            assertThat(state.detail()).isEqualTo("pid " + holder.pid() + " holds .lock (F_GETLK)");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(new FcntlLocks().holder(logDir.resolve(".lock"))).isEmpty();
        assertThat(new BrokerStateProbe().probe(logDir).state()).isEqualTo(BrokerState.STOPPED_UNCLEAN);
    }

    @Test
    void noLockButAListenerThatAcceptsIsUnknownNotAnUncleanStop() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            LogDirBrokerState state = probeWithListener(listener.getLocalPort()).probe(logDir);
            assertThat(state.state()).isEqualTo(BrokerState.UNKNOWN);
            assertThat(state.detail()).isEqualTo("no process holds .lock (F_GETLK), but the broker's listener 127.0.0.1:"
                    + listener.getLocalPort() + " accepts connections: a broker may run where its lock cannot be seen");
        }
    }

    @Test
    void aHeldLockWithARefusingListenerIsUnknown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Process holder = holdLock(logDir.resolve(".lock"));
        try {
            LogDirBrokerState state = probeWithListener(closedPort).probe(logDir);
            assertThat(state.state()).isEqualTo(BrokerState.UNKNOWN);
            assertThat(state.detail()).contains("refuses connections: the broker is starting or stopping");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(probeWithListener(closedPort).probe(logDir).state()).isEqualTo(BrokerState.STOPPED_UNCLEAN);
    }

    @Test
    void theListenerIsTheFirstClientListenerWithAWildcardReachedOnLoopback() {
        assertThat(ListenerProbe.of(Map.of("listeners", "CONTROLLER://:9093,INTERNAL://:9094",
                "controller.listener.names", "CONTROLLER")).map(Object::toString)).isEqualTo(Optional.of("127.0.0.1:9094"));
        assertThat(ListenerProbe.of(Map.of("listeners", "PLAINTEXT://[::1]:9092")).map(Object::toString))
                .isEqualTo(Optional.of("[::1]:9092"));
        assertThat(ListenerProbe.of(Map.of())).isEmpty();
    }

    static Process holdLock(Path file) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx32m", LockHolderMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("LOCKED");
        return p;
    }
}
