package io.archiveguardian.guardian.retention;

import static io.archiveguardian.guardian.retention.RetentionCommandTest.guardian;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.admin;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.bootstrap;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.createTopic;
import static io.archiveguardian.guardian.retention.SharedRetentionCluster.topicConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.retention.RetentionCommandTest.Run;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Missing permissions, with KRaft's StandardAuthorizer. The shared cluster allows everyone where no
 * ACL exists; each test gives its topic an ALLOW ALL plus a DENY of one operation for
 * {@code User:ANONYMOUS}, the principal of every PLAINTEXT client (a DENY wins over an ALLOW).
 */
@Tag("broker")
@ExtendWith(SharedRetentionCluster.class)
class RetentionAclTest {

    static void deny(String topic, AclOperation operation) throws Exception {
        ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
        admin().createAcls(List.of(
                new AclBinding(pattern, new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.ALLOW)),
                new AclBinding(pattern, new AccessControlEntry("User:ANONYMOUS", "*", operation, AclPermissionType.DENY))))
                .all().get(30, TimeUnit.SECONDS);
    }

    /** Waits until every broker enforces the DENY of AlterConfigs (validate-only, so nothing changes). */
    static void awaitAlterDenied(String topic) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET);
        await("the DENY reaches the brokers").atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 4; i++) {
                try {
                    admin().incrementalAlterConfigs(Map.of(r, List.of(op)), new AlterConfigsOptions().validateOnly(true))
                            .all().get(10, TimeUnit.SECONDS);
                    return false;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicAuthorizationException)) {
                        throw e;
                    }
                }
            }
            return true;
        });
    }

    @Test
    void applyChangesTheAllowedTopicAndReportsTheDeniedOneNamingAlterConfigsAndTheTopic() throws Exception {
        createTopic("acl-locked", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        createTopic("acl-open", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        deny("acl-locked", AclOperation.ALTER_CONFIGS);
        awaitAlterDenied("acl-locked");

        Run run = guardian("retention", "apply", "--yes", "--topics", "acl-locked,acl-open");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("acl-open: changed: retention.ms: 3600000 (topic override) -> -1 (topic override)\n")
                .contains("acl-locked: NOT changed: could not set the retention of topic 'acl-locked': not authorized: "
                        + "the client's principal lacks the AlterConfigs permission on topic 'acl-locked' (Kafka: ");
        assertThat(run.err()).startsWith("guardian: 1 of 2 topic(s) NOT changed (acl-locked); 1 changed as listed: "
                + "could not set the retention of topic 'acl-locked': not authorized: the client's principal lacks the "
                + "AlterConfigs permission on topic 'acl-locked'");
        SharedRetentionCluster.awaitTopicConfig("acl-open", "retention.ms", "-1");
        assertThat(topicConfig("acl-locked", "retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void aDeniedDescribeConfigsFailsCheckAndApplyNamingTheOperationAndChangesNothing() throws Exception {
        createTopic("acl-hidden", Map.of("retention.ms", "3600000"));
        createTopic("acl-visible", Map.of("retention.ms", "3600000"));
        deny("acl-hidden", AclOperation.DESCRIBE_CONFIGS);
        await("the DENY reaches the brokers").atMost(Duration.ofSeconds(30)).until(() ->
                guardian("retention", "check", "--topics", "acl-hidden").exitCode() == 1);

        Run check = guardian("retention", "check", "--topics", "acl-hidden,acl-visible");
        Run apply = guardian("retention", "apply", "--yes", "--topics", "acl-hidden,acl-visible");

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("acl-visible  drift\n").doesNotContain("acl-hidden  ");
        assertThat(check.err()).startsWith("guardian: Could not check every archive topic: could not describe the config "
                + "of topic 'acl-hidden': not authorized: the client's principal lacks the DescribeConfigs permission on "
                + "topic 'acl-hidden' (Kafka: ");
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err()).startsWith("guardian: Nothing was changed: could not describe every archive topic: "
                + "could not describe the config of topic 'acl-hidden': not authorized: the client's principal lacks the "
                + "DescribeConfigs permission on topic 'acl-hidden'");
        assertThat(topicConfig("acl-visible", "retention.ms").value()).isEqualTo("3600000");
    }

    @Test
    void aDeniedRepairIsAnErrorOfThePassAndTheTopicStaysCountedAsDrift() throws Exception {
        createTopic("acl-watch", Map.of("retention.ms", "3600000", "retention.bytes", "-1"));
        deny("acl-watch", AclOperation.ALTER_CONFIGS);
        awaitAlterDenied("acl-watch");
        RetentionWatcher watcher = new RetentionWatcher(
                new TopicSelection(List.of("acl-watch"), Optional.empty(), Set.of()), true, Clock.systemUTC());

        RetentionPass pass = watcher.runOnce(new RetentionAdmin(admin(), bootstrap(), Duration.ofSeconds(15)), OptionalInt.of(0));

        assertThat(pass.repairs()).isEmpty();
        assertThat(pass.errors()).singleElement().asString().startsWith("Repair of topic 'acl-watch' failed, it stays in "
                + "drift: could not set the retention of topic 'acl-watch': not authorized: the client's principal lacks "
                + "the AlterConfigs permission on topic 'acl-watch'");
        assertThat(pass.driftTopics()).isEqualTo(1);
        assertThat(watcher.repairsTotal()).isZero();
        assertThat(pass.events()).extracting(RetentionEvent::state).containsExactly("DRIFT");
    }

    @Test
    void withoutDescribeConfigsOnTheClusterCheckWarnsAndJudgesByTheAnsweringBrokerOnly() throws Exception {
        createTopic("acl-no-cluster", Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        ResourcePattern cluster = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        List<AclBinding> acls = List.of(
                new AclBinding(cluster, new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.ALLOW)),
                new AclBinding(cluster, new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.DESCRIBE_CONFIGS,
                        AclPermissionType.DENY)));
        admin().createAcls(acls).all().get(30, TimeUnit.SECONDS);
        try {
            await("the DENY reaches the brokers").atMost(Duration.ofSeconds(30)).until(() ->
                    !guardian("retention", "check", "--topics", "acl-no-cluster").err().isEmpty());

            Run check = guardian("retention", "check", "--topics", "acl-no-cluster");

            assertThat(check.exitCode()).isZero();
            assertThat(check.out()).contains("acl-no-cluster  infinite\n");
            assertThat(check.err()).startsWith("guardian: warning: could not describe the config of broker ")
                    .contains(": not authorized: the client's principal lacks the DescribeConfigs permission on the "
                            + "cluster (Kafka: ")
                    .contains("Inherited retention values are then judged only as the answering broker sees them.\n");
        } finally {
            admin().deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
            await("the cluster ACLs are gone").atMost(Duration.ofSeconds(30)).until(() ->
                    guardian("retention", "check", "--topics", "acl-no-cluster").err().isEmpty());
        }
    }
}
