package io.archiveguardian.guardian.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.Commands;
import io.archiveguardian.testsupport.TestEnvironment;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener probe corroborates the broker's lock on the guard thread, every poll: its whole
 * probe, the name lookup included, must be bounded. Here the host's resolver hangs (a name server
 * that receives queries and never answers, set as the only one in a private mount namespace's
 * resolv.conf), as a resolver does when the network or its DNS server is down.
 */
class ListenerProbeDnsTest {

    @TempDir
    Path tmp;

    @Test
    void aHangingNameLookupIsInconclusiveWithinTheProbesTimeout() throws Exception {
        TestEnvironment.requireRoot();
        TestEnvironment.requireProgram("unshare");
        InetAddress silentServer = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(silentServer, 53))) { // reads nothing, answers nothing
            Path resolv = Files.writeString(tmp.resolve("resolv.conf"),
                    "nameserver " + silentServer.getHostAddress() + "\noptions timeout:5 attempts:2\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "mount --bind " + resolv + " /etc/resolv.conf && exec " + java + " -Xmx64m -cp "
                    + System.getProperty("java.class.path") + " " + ListenerProbeMain.class.getName()
                    + " broker-1.kafka.guardian-test.example 9092";

            Commands.Result run = Commands.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", command));

            assertThat(run.exitCode()).as(run.output()).isZero();
            String[] last = run.output().strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
            System.out.println("probe of an unresolvable listener: " + String.join(" ", last) + " ms");
            assertThat(last[0]).isEqualTo("INCONCLUSIVE");
            assertThat(Long.parseLong(last[1])).as("bounded like the connect (300 ms), not by the resolver's 10 s")
                    .isLessThan(1500);
        }
    }
}
