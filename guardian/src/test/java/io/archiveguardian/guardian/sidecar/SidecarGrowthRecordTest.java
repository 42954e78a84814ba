package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.recovery.RecoveryDuty;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prestart falls back on the growth record the running sidecar writes when the cluster cannot be
 * asked. A record that cannot be written must be said at WARN, with the path and the reason, and
 * must not stop the pass.
 */
class SidecarGrowthRecordTest {

    @TempDir
    Path tmp;

    @Test
    void aGrowthRecordThatCannotBeWrittenIsAWarnNamingThePathAndTheReason() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Path state = Files.createDirectory(tmp.resolve("state"));
        // growth.json is a directory with something in it: the rename onto it fails ("Is a directory").
        Path blocked = Files.createDirectories(state.resolve("growth.json").resolve("in-the-way"));
        Path config = Files.writeString(tmp.resolve("guardian.properties"), "log.dirs=" + logDir + "\nstate.dir=" + state
                + "\nreserve.auto.arm=false\nscan.interval.ms=60000\n");

        List<LogEvent> warnings = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LogManager.getLogger(RecoveryDuty.class);
        AbstractAppender capture = new AbstractAppender("capture-growth", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                warnings.add(event.toImmutable());
            }
        };
        capture.start();
        logger.addAppender(capture);
        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.load(config, Map.of())), new GuardianMetrics(),
                Clock.systemUTC());
        try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock brokerRunning = ch.tryLock()) {
            sidecar.runPass();
            assertThat(sidecar.status()).as("the pass went on").isPresent();
        } finally {
            sidecar.close();
            logger.removeAppender(capture);
        }

        assertThat(warnings).filteredOn(e -> e.getMessage().getFormattedMessage().contains("growth record"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getMessage().getFormattedMessage())
                            .contains("cannot write the growth record " + state.resolve("growth.json"))
                            .contains("growth.json: Is a directory")
                            .contains("prestart will have no recorded write rate to fall back on")
                            .contains("Check state.dir");
                });
        assertThat(blocked).as("nothing of the operator's was removed").isDirectory();
    }
}
