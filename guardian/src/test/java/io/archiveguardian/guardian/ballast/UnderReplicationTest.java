package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archiveguardian.guardian.ballast.UnderReplication.Answer;
import io.archiveguardian.guardian.ballast.UnderReplication.Verdict;
import io.archiveguardian.testsupport.InProcessCluster;
import io.archiveguardian.testsupport.Ports;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cluster's answer for the re-arm gate: the pure rule, the cached answer, and a real cluster. */
class UnderReplicationTest {

    static final Node N1 = new Node(1, "h1", 9092);
    static final Node N2 = new Node(2, "h2", 9092);
    static final Node N3 = new Node(3, "h3", 9092);

    static TopicPartitionInfo partition(int p, List<Node> replicas, List<Node> isr) {
        return new TopicPartitionInfo(p, isr.isEmpty() ? null : isr.get(0), replicas, isr);
    }

    @Test
    void aPartitionIsUnderReplicatedForThisBrokerWhenItIsAReplicaAndTheIsrIsShortOrLacksIt() {
        TopicDescription archive = new TopicDescription("archive", false, List.of(
                partition(0, List.of(N1, N2, N3), List.of(N1, N2, N3)),   // fully in sync
                partition(1, List.of(N1, N2, N3), List.of(N1, N2)),       // a follower lags: catch-up running
                partition(2, List.of(N2, N3, N1), List.of(N2, N3)),       // this broker is out of sync
                partition(3, List.of(N2, N3), List.of(N2)),               // under-replicated, not ours
                partition(4, List.of(N1), List.of())));                   // offline, ours
        TopicDescription other = new TopicDescription("other", false, List.of(
                partition(0, List.of(N3, N1), List.of(N3, N1))));

        List<TopicPartition> urp = UnderReplication.of(1, List.of(other, archive));

        assertThat(urp).containsExactly(new TopicPartition("archive", 1), new TopicPartition("archive", 2),
                new TopicPartition("archive", 4));
        assertThat(UnderReplication.of(3, List.of(archive, other))).containsExactly(new TopicPartition("archive", 1),
                new TopicPartition("archive", 2), new TopicPartition("archive", 3));
    }

    @Test
    void withoutANodeIdOrAClusterTheAnswerIsCannotSay() {
        MutableClock clock = new MutableClock();
        UnderReplication noId = new UnderReplication(OptionalInt.empty(), Duration.ofSeconds(1), Duration.ofMinutes(1), clock);
        UnderReplication noCluster = new UnderReplication(OptionalInt.of(1), Duration.ofSeconds(1), Duration.ofMinutes(1), clock);

        assertThat(noId.current().verdict()).isEqualTo(Verdict.CANNOT_SAY);
        assertThat(noId.current().detail()).isEqualTo("the cluster has not been asked yet");
        assertThat(noId.refresh(Optional.empty()).detail())
                .isEqualTo("the broker's node.id is not known (give --broker-config or node.id)");
        assertThat(noCluster.refresh(Optional.empty()).detail())
                .isEqualTo("no cluster is configured or reachable (bootstrap.servers)");
        assertThat(noCluster.current().verdict()).isEqualTo(Verdict.CANNOT_SAY);
        Answer broken = noCluster.refresh(() -> {
            throw new IllegalStateException("bad admin config");
        });
        assertThat(broken.verdict()).isEqualTo(Verdict.CANNOT_SAY);
        assertThat(broken.detail()).isEqualTo("no Admin client: java.lang.IllegalStateException: bad admin config");
    }

    @Test
    void anUnreachableClusterGivesCannotSayWithinTheTimeout() {
        UnderReplication asker = new UnderReplication(OptionalInt.of(1), Duration.ofSeconds(2), Duration.ofMinutes(1),
                Clock.systemUTC());
        int port = Ports.free();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            long start = System.nanoTime();
            Answer answer = asker.refresh(Optional.of(admin));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(answer.verdict()).isEqualTo(Verdict.CANNOT_SAY);
            assertThat(answer.detail()).startsWith("could not list the cluster's topics within 2000 ms (admin.timeout.ms): "
                    + "the cluster did not answer");
            // bounded: the 2 s timeout plus a generous margin for a loaded machine
            assertThat(millis).isLessThan(15_000);
        }
    }

    @Test
    @Tag("broker")
    void aRealClusterSaysNoneThenSomeWhileAReplicaIsDownThenNoneAgain() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3); Admin admin = cluster.admin()) {
            List<Integer> ids = cluster.brokerIds().stream().sorted().toList();
            int self = ids.get(0);
            int other = ids.get(2);
            admin.createTopics(List.of(new NewTopic("archive", 3, (short) 3))).all().get(60, TimeUnit.SECONDS);
            MutableClock clock = new MutableClock();
            UnderReplication asker = new UnderReplication(OptionalInt.of(self), Duration.ofSeconds(10),
                    Duration.ofMinutes(1), clock);

            await("all replicas in sync").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> asker.refresh(Optional.of(admin)).verdict() == Verdict.NONE);
            assertThat(asker.current().detail()).startsWith("no under-replicated partition on broker " + self);

            cluster.stopBroker(other);
            await("the ISR shrinks without broker " + other).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> asker.refresh(Optional.of(admin)).verdict() == Verdict.SOME);
            Answer some = asker.current();
            assertThat(some.count()).isEqualTo(3);
            assertThat(some.partitions()).containsExactly(new TopicPartition("archive", 0),
                    new TopicPartition("archive", 1), new TopicPartition("archive", 2));
            assertThat(some.at()).isEqualTo(clock.instant());

            // the answer is cached; once older than the stale bound it means "cannot say"
            clock.advance(Duration.ofMinutes(2));
            assertThat(asker.current().verdict()).isEqualTo(Verdict.CANNOT_SAY);
            assertThat(asker.current().detail()).contains("is older than 1 min");

            cluster.startBroker(other);
            await("broker " + other + " catches up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> asker.refresh(Optional.of(admin)).verdict() == Verdict.NONE);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }
    }
}
