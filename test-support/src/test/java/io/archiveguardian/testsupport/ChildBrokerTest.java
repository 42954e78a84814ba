package io.archiveguardian.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("broker")
class ChildBrokerTest {

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * SmallFilesystemExtension.MIB);

    @Test
    void childBrokerOnASmallExt4RecoversAfterKillMinus9AndStopsCleanlyOnSigterm() throws Exception {
        Path logDir = disk.root().resolve("kafka-logs");
        try (ChildBrokerCluster cluster = ChildBrokerCluster.builder(1).logDir(1, logDir).build().start()) {
            ChildBroker broker = cluster.broker(1);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("archive", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            await("partition dirs exist").atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(logDir.resolve("archive-0")));
            assertThat(logDir.resolve(".lock")).exists();

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            assertThat(logDir.resolve(".kafka_cleanshutdown")).doesNotExist();

            broker.start().awaitStarted(Duration.ofSeconds(120));
            assertThat(broker.log()).contains("since no clean shutdown file was found");

            broker.stop();
            // A JVM ended by SIGTERM exits 128+15 even after its shutdown hooks ran; the marker proves it was clean.
            assertThat(broker.exitCode()).isEqualTo(143);
            assertThat(logDir.resolve(".kafka_cleanshutdown")).exists();
            assertThat(broker.starts()).isEqualTo(2);
        }
    }
}
