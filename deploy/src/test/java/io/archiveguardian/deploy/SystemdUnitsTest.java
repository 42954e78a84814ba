package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.Ports;
import io.archiveguardian.testsupport.TestEnvironment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd as an operator installs it: systemd-analyze verify reads both units without a
 * warning (a warning there is a key systemd ignores), and the commands the units hold run from
 * the real distribution with the outcomes their comments promise.
 */
class SystemdUnitsTest {

    static final String SIDECAR_UNIT = "systemd/kafka-guardian.service";
    static final String DROP_IN = "systemd/kafka.service.d-guardian.conf";

    @TempDir
    Path tmp;

    private String verify(Path unitDir, String... units) {
        List<String> command = new ArrayList<>(List.of("env", "SYSTEMD_UNIT_PATH=" + unitDir + ":", "systemd-analyze", "verify"));
        command.addAll(Arrays.asList(units));
        Deployment.Run run = Deployment.run(command, unitDir);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.output();
    }

    @Test
    void bothUnitsLoadWithoutAWarningFromSystemdAnalyzeVerify() throws Exception {
        TestEnvironment.requireProgram("systemd-analyze");
        Deployment host = new Deployment(tmp);
        Path units = Files.createDirectories(tmp.resolve("units"));
        // The broker's own unit, as a Kafka package installs it; the drop-in is added to it.
        Files.writeString(units.resolve("kafka.service"), "[Unit]\nDescription=Apache Kafka\n[Service]\nExecStart="
                + host.kafkaStart + " " + host.serverProperties + "\n");
        Files.createDirectories(units.resolve("kafka.service.d"));
        Files.writeString(units.resolve("kafka.service.d/guardian.conf"), host.materialise(Deployment.file(DROP_IN)));
        Files.writeString(units.resolve("kafka-guardian.service"), host.materialise(Deployment.file(SIDECAR_UNIT)));

        assertThat(verify(units, "kafka.service", "kafka-guardian.service")).as("systemd-analyze verify says nothing").isBlank();

        // The check sees what it must: the unquoted GUARDIAN_OPTS the unit used to have, and the
        // start limit in [Service] (systemd ignores it there, so the restarts never stop).
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("old.service"), "[Service]\nExecStart=/bin/true\n"
                + "Environment=GUARDIAN_OPTS=-Xms32m -Xmx256m -XX:+UseSerialGC\nStartLimitIntervalSec=600\n");
        assertThat(verify(broken, "old.service")).contains("Invalid environment assignment, ignoring: -Xmx256m")
                .contains("Unknown key 'StartLimitIntervalSec' in section [Service]");
    }

    @Test
    void theSidecarUnitCreatesTheDefaultStateDirAndIsHardenedToAnExposureBelowTwo() throws Exception {
        TestEnvironment.requireProgram("systemd-analyze");
        Deployment host = new Deployment(tmp);
        SystemdUnit unit = SystemdUnit.parse(host.materialise(Deployment.file(SIDECAR_UNIT)));
        assertThat("/var/lib/" + unit.value("Service", "StateDirectory").orElseThrow())
                .as("StateDirectory= is the default state.dir, so systemd creates it for User=")
                .isEqualTo(io.archiveguardian.guardian.config.GuardianConfig.DEFINITION.defaultValues()
                        .get(io.archiveguardian.guardian.config.GuardianConfig.STATE_DIR));
        assertThat(unit.value("Service", "ProtectSystem")).hasValue("strict");
        assertThat(unit.value("Service", "MemoryDenyWriteExecute")).as("the JVM's JIT needs W+X memory").isEmpty();

        Path units = Files.createDirectories(tmp.resolve("units"));
        Path file = units.resolve("kafka-guardian.service");
        Files.writeString(file, host.materialise(Deployment.file(SIDECAR_UNIT)));
        Deployment.Run security = Deployment.run(List.of("systemd-analyze", "security", "--offline=true", file.toString()), units);
        java.util.regex.Matcher exposure = java.util.regex.Pattern.compile("Overall exposure level for kafka-guardian.service: ([0-9.]+)")
                .matcher(security.output());
        assertThat(exposure.find()).as(security.output()).isTrue();
        // 9.2 (UNSAFE) before the hardening; 1.3 with it.
        assertThat(Double.parseDouble(exposure.group(1))).as(security.output()).isLessThan(2.0);
    }

    @Test
    void theGuardianOptsExampleInTheSidecarUnitIsOneAssignmentAndTheLauncherTakesIt() throws Exception {
        TestEnvironment.requireProgram("systemd-analyze");
        String example = Deployment.file(SIDECAR_UNIT).lines().map(String::strip)
                .filter(l -> l.startsWith("# Environment=")).map(l -> l.substring(2)).findFirst()
                .orElseThrow(() -> new AssertionError("the unit's commented Environment= example is gone"));
        Path units = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(units.resolve("opts.service"), "[Service]\nExecStart=/bin/true\n" + example + "\n");
        assertThat(verify(units, "opts.service")).as("systemd reads the example as one assignment").isBlank();

        String value = example.substring(example.indexOf("GUARDIAN_OPTS=") + "GUARDIAN_OPTS=".length(), example.lastIndexOf('"'));
        Deployment.Run version = Deployment.run(List.of("env", "GUARDIAN_OPTS=" + value,
                Deployment.dist().resolve("bin/guardian").toString(), "--version"), tmp);
        assertThat(version.exitCode()).as("the launcher starts the JVM with " + value + ":\n" + version.output()).isZero();
    }

    @Test
    void theDropInsExecStartPreDecidesTheStartAsItsCommentSays() throws Exception {
        Deployment host = new Deployment(tmp);
        SystemdUnit dropIn = SystemdUnit.parse(host.materialise(Deployment.file(DROP_IN)));
        List<String> execStartPre = Deployment.words(dropIn.value("Service", "ExecStartPre").orElseThrow());
        assertThat(dropIn.value("Unit", "StartLimitBurst")).hasValue("5");

        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n");
        Files.writeString(logDir.resolve(".lock"), "");
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", logDir.toString()));
        host.write(host.guardianProperties, Map.of("state.dir", tmp.resolve("state").toString()));

        Files.writeString(logDir.resolve(".kafka_cleanshutdown"), "");
        Deployment.Run clean = Deployment.run(execStartPre, tmp);
        assertThat(clean.exitCode()).as("a clean stop: systemd starts the broker\n" + clean.output()).isZero();

        try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            Deployment.Run running = Deployment.run(execStartPre, tmp);
            assertThat(running.exitCode()).as("the broker holds its .lock: the start is refused\n" + running.output())
                    .isEqualTo(3);
        }

        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", tmp.resolve("gone").toString()));
        Deployment.Run failing = Deployment.run(execStartPre, tmp);
        assertThat(failing.exitCode()).as("prestart fails itself: the broker starts (prestart.on.error=start)\n"
                + failing.output()).isZero();
        assertThat(failing.output()).contains("!!! prestart.on.error=start: exit 0, the broker starts WITHOUT the guardian's check.");
        host.write(host.guardianProperties, Map.of("state.dir", tmp.resolve("state").toString(), "prestart.on.error", "block"));
        assertThat(Deployment.run(execStartPre, tmp).exitCode()).as("prestart.on.error=block: exit 1").isEqualTo(1);
    }

    @Test
    void theSidecarUnitsExecStartServesItsEndpointsAndItsKillSignalStopsItWithAnExitSystemdCallsClean() throws Exception {
        Deployment host = new Deployment(tmp);
        SystemdUnit unit = SystemdUnit.parse(host.materialise(Deployment.file(SIDECAR_UNIT)));
        assertThat(unit.value("Service", "KillSignal")).hasValue("SIGTERM");
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        int port = Ports.free();
        host.write(host.serverProperties, Map.of("node.id", "1", "log.dirs", logDir.toString()));
        host.write(host.guardianProperties, Map.of("state.dir", tmp.resolve("state").toString(),
                "http.listen", "127.0.0.1:" + port, "reserve.auto.arm", "false"));

        try (SidecarProcess sidecar = SidecarProcess.start(Deployment.words(unit.value("Service", "ExecStart").orElseThrow()),
                tmp, port)) {
            sidecar.awaitAnswering("/healthz", "/readyz", "/metrics");
            int exit = sidecar.terminate();
            List<String> clean = new ArrayList<>(List.of("0"));
            unit.value("Service", "SuccessExitStatus").ifPresent(v -> clean.addAll(Arrays.asList(v.split("\\s+"))));
            assertThat(clean).as("systemd calls the stop clean only for 0 and SuccessExitStatus; exit %d:%n%s", exit,
                    sidecar.output()).contains(Integer.toString(exit));
        }
    }
}
