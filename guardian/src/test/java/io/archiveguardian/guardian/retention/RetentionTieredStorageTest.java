package io.archiveguardian.guardian.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cli.Main;
import io.archiveguardian.testsupport.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tiered-storage topics on a real broker with remote storage enabled: Kafka's own
 * TopicBasedRemoteLogMetadataManager and a remote storage that stores nothing
 * ({@link NoOpRemoteStorageManager}); the topics hold no records, so only their configs matter.
 */
@Tag("broker")
class RetentionTieredStorageTest {

    static InProcessCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = InProcessCluster.start(1, Map.of(
                "remote.log.storage.system.enable", "true",
                "remote.log.storage.manager.class.name", NoOpRemoteStorageManager.class.getName(),
                "remote.log.metadata.manager.listener.name", "EXTERNAL",
                "rlmm.config.remote.log.metadata.topic.replication.factor", "1",
                "rlmm.config.remote.log.metadata.topic.num.partitions", "1"));
        admin = cluster.admin();
        admin.createTopics(List.of(
                new NewTopic("tiered-finite", 1, (short) 1).configs(Map.of("remote.storage.enable", "true",
                        "retention.ms", "86400000", "local.retention.ms", "3600000")),
                new NewTopic("tiered-all-local", 1, (short) 1).configs(Map.of("remote.storage.enable", "true",
                        "retention.ms", "-1", "retention.bytes", "-1")))).all().get(60, TimeUnit.SECONDS);
        SharedRetentionCluster.awaitOnAllBrokers(cluster, "tiered-finite");
        SharedRetentionCluster.awaitOnAllBrokers(cluster, "tiered-all-local");
    }

    @AfterAll
    static void stop() {
        admin.close();
        cluster.close();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", cluster.bootstrapServers()));
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aTieredTopicWithFiniteTotalRetentionIsForReviewCountsAsFiniteAndApplyLeavesItAlone() throws Exception {
        String[] check = run("retention", "check", "--topics", "tiered-finite");
        String[] apply = run("retention", "apply", "--yes", "--topics", "tiered-finite");

        assertThat(check[0]).as(check[2]).isEqualTo("3");
        assertThat(check[1]).contains("tiered-finite  review\n",
                "  note: tiered storage (remote.storage.enable=true): retention.ms/retention.bytes bound the whole log",
                "(local.retention.ms=3600000, local.retention.bytes=-2)");
        assertThat(apply[0]).as(apply[2]).isEqualTo("0");
        assertThat(apply[1]).endsWith("Nothing to change.\n");
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "tiered-finite");
        assertThat(admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).get("retention.ms").value())
                .isEqualTo("86400000");
    }

    @Test
    void aTieredTopicKeepingEverythingWarnsThatTheLocalDiskKeepsEverythingToo() {
        String[] check = run("retention", "check", "--topics", "tiered-all-local");

        assertThat(check[0]).as(check[2]).isEqualTo("0");
        assertThat(check[1]).contains("tiered-all-local  infinite\n",
                "the local disk also keeps everything, as if tiering were off");
    }
}
