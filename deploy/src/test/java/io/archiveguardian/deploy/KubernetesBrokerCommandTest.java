package io.archiveguardian.deploy;

import static io.archiveguardian.deploy.KubernetesSnippetTest.command;
import static io.archiveguardian.deploy.KubernetesSnippetTest.container;
import static io.archiveguardian.deploy.KubernetesSnippetTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.guardian.recovery.GrowthRecord;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod snippet's broker container command ({@code sh -c "guardian prestart ... && exec
 * kafka-server-start.sh ..."}) run as the container runtime runs it, from the real distribution,
 * on a real 128 MiB ext4 (root): the broker starts, exec'd, only when prestart lets it.
 */
class KubernetesBrokerCommandTest {

    static final long MIB = 1024L * 1024L;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void theBrokerContainerStartsTheBrokerOnlyWhenPrestartLetsItAndExecsIt() throws Exception {
        Deployment host = new Deployment(tmp);
        List<String> command = command(container(pod(), "containers", "kafka"));
        assertThat(command).hasSize(3).startsWith("sh", "-c");
        List<String> sh = List.of("sh", "-c", host.materialise(command.get(2)));

        Path logDir = Files.createDirectories(disk.root().resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        Files.writeString(logDir.resolve(".kafka_cleanshutdown"), "");
        Path state = tmp.resolve("state");
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", logDir.toString()));
        host.write(host.guardianProperties, Map.of("state.dir", state.toString(), "recovery.margin.min.bytes",
                Long.toString(4 * MIB), "reserve.arm.max.used.percent", "99"));

        Deployment.Run fits = Deployment.run(sh, tmp);
        assertThat(fits.exitCode()).as(fits.output()).isZero();
        assertThat(host.startedAs()).as("exec: the broker is the container's main process, so it gets SIGTERM")
                .isEqualTo(fits.pid() + " " + host.serverProperties);

        // After a kill -9 the 128 MiB disk cannot hold what the start is known to need even with all
        // its ballast (a margin of 256 MiB, set by hand; the busy broker's catch-up, 4 MiB/s for a
        // minute, is only an estimate and never blocks on its own): prestart exits 10 and the broker
        // is not started.
        host.write(host.guardianProperties, Map.of("state.dir", state.toString(), "recovery.margin.min.bytes",
                Long.toString(256 * MIB), "reserve.arm.max.used.percent", "99"));
        Files.delete(host.started);
        Files.delete(logDir.resolve(".kafka_cleanshutdown"));
        Path partition = Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[2 * (int) MIB]);
        Files.writeString(logDir.resolve("recovery-point-offset-checkpoint"), "0\n1\narchive 0 0\n");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                new GrowthRecord.LogDir(4.0 * MIB, Instant.now().minusSeconds(60)))).write(state);
        StringWriter arm = new StringWriter();
        assertThat(Main.execute(new PrintWriter(arm), new PrintWriter(arm), "ballast", "arm", "--broker-config",
                host.serverProperties.toString(), "--config", host.guardianProperties.toString(), "--size", "8M",
                "--tiers", "2")).as(arm.toString()).isZero();
        Deployment.Run tooFull = Deployment.run(sh, tmp);
        assertThat(tooFull.exitCode()).as(tooFull.output()).isEqualTo(10);
        assertThat(tooFull.output()).contains("DO NOT START THE BROKER");
        assertThat(host.startedAs()).as("the broker was not started").isNull();

        // prestart failing itself (its log dir is gone) lets the broker start, loudly.
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", disk.root().resolve("gone").toString()));
        Deployment.Run failing = Deployment.run(sh, tmp);
        assertThat(failing.exitCode()).as(failing.output()).isZero();
        assertThat(failing.output()).contains("!!! prestart.on.error=start");
        assertThat(host.startedAs()).isEqualTo(failing.pid() + " " + host.serverProperties);
    }

}
