package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.cluster.AdminCalls;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "does this broker have under-replicated partitions?" for the re-arm gate. {@link #refresh}
 * asks the cluster (Admin: list and describe topics, bounded by a timeout) and must run on a
 * cluster-side thread, never on the local pass; {@link #current} is what the ballast duty reads:
 * the latest answer with its time, or "cannot say" when there is none, it failed, or it is older
 * than the stale bound.
 */
public final class UnderReplication {

    private static final Logger LOG = LoggerFactory.getLogger(UnderReplication.class);

    /** What the cluster said. */
    public enum Verdict {
        /** No partition this broker hosts is under-replicated. */
        NONE,
        /** Some are: a catch-up is (or should be) running. */
        SOME,
        /** No usable answer: no cluster, no node id, an error, a timeout, or a stale answer. */
        CANNOT_SAY
    }

    /**
     * One answer.
     *
     * @param verdict    none, some, or cannot say
     * @param at         when the cluster answered (or the question failed); null when never asked
     * @param partitions the under-replicated partitions of this broker (first few only)
     * @param count      how many there are
     * @param detail     for people
     */
    public record Answer(Verdict verdict, Instant at, List<TopicPartition> partitions, int count, String detail) {

        public Answer {
            partitions = List.copyOf(partitions);
        }

        static Answer cannotSay(Instant at, String detail) {
            return new Answer(Verdict.CANNOT_SAY, at, List.of(), 0, detail);
        }
    }

    private static final int KEEP = 10;

    private final OptionalInt brokerId;
    private final Duration timeout;
    private final Duration staleAfter;
    private final Clock clock;
    private volatile Answer latest;

    /**
     * @param brokerId   this broker's node id (empty: the answer is always "cannot say")
     * @param timeout    the bound on one question to the cluster
     * @param staleAfter an answer older than this is "cannot say"
     */
    public UnderReplication(OptionalInt brokerId, Duration timeout, Duration staleAfter, Clock clock) {
        this.brokerId = brokerId;
        this.timeout = timeout;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.latest = Answer.cannotSay(null, "the cluster has not been asked yet");
    }

    /**
     * Asks the cluster now, within the timeout, and keeps the answer. Blocks up to the timeout:
     * call it on a cluster-side thread. Never throws.
     */
    public Answer refresh(Optional<Admin> admin) {
        Answer answer;
        try {
            answer = ask(admin);
        } catch (RuntimeException e) {
            answer = Answer.cannotSay(clock.instant(), "the cluster question failed: " + e);
        }
        if (answer.verdict() == Verdict.CANNOT_SAY) {
            LOG.debug("under-replicated partitions of broker {}: cannot say ({})", brokerId, answer.detail());
        }
        latest = answer;
        return answer;
    }

    /**
     * As {@link #refresh(Optional)}, getting the Admin client first; a failure to get one is a
     * "cannot say" too. For a scheduled task, which must never throw.
     */
    public Answer refresh(java.util.function.Supplier<Optional<Admin>> admin) {
        Optional<Admin> client;
        try {
            client = admin.get();
        } catch (RuntimeException e) {
            Answer answer = Answer.cannotSay(clock.instant(), "no Admin client: " + e);
            latest = answer;
            return answer;
        }
        return refresh(client);
    }

    private Answer ask(Optional<Admin> admin) {
        Instant now = clock.instant();
        if (brokerId.isEmpty()) {
            return Answer.cannotSay(now, "the broker's node.id is not known (give --broker-config or node.id)");
        }
        if (admin.isEmpty()) {
            return Answer.cannotSay(now, "no cluster is configured or reachable (bootstrap.servers)");
        }
        AdminCalls calls = new AdminCalls(timeout, GuardianConfig.ADMIN_TIMEOUT_MS).oneDeadline();
        try {
            Set<String> names = calls.await(admin.get().listTopics(new ListTopicsOptions().listInternal(true)
                    .timeoutMs(calls.timeoutMs())).names(), "list the cluster's topics");
            Collection<TopicDescription> topics = names.isEmpty() ? List.of()
                    : calls.await(admin.get().describeTopics(names, new DescribeTopicsOptions().timeoutMs(calls.timeoutMs()))
                    .allTopicNames(), "describe the cluster's topics").values();
            List<TopicPartition> urp = of(brokerId.getAsInt(), topics);
            Instant at = clock.instant();
            return urp.isEmpty()
                    ? new Answer(Verdict.NONE, at, List.of(), 0, "no under-replicated partition on broker "
                    + brokerId.getAsInt() + " (" + topics.size() + " topics)")
                    : new Answer(Verdict.SOME, at, urp.subList(0, Math.min(KEEP, urp.size())), urp.size(),
                    urp.size() + " under-replicated partition(s) on broker " + brokerId.getAsInt() + ", e.g. "
                            + urp.subList(0, Math.min(3, urp.size())));
        } catch (GuardianException e) {
            return Answer.cannotSay(clock.instant(), e.getMessage());
        }
    }

    /**
     * The latest answer, as of now: "cannot say" when it is older than the stale bound. Never
     * blocks; safe on the local pass thread.
     */
    public Answer current() {
        Answer a = latest;
        if (a.verdict() != Verdict.CANNOT_SAY && a.at().plus(staleAfter).isBefore(clock.instant())) {
            return Answer.cannotSay(a.at(), "the last answer (" + a.verdict() + " at " + a.at() + ") is older than "
                    + Durations.human(staleAfter));
        }
        return a;
    }

    /**
     * Pure: the partitions for which {@code brokerId} is a replica and that are under-replicated
     * (fewer in-sync replicas than replicas) or that this broker is not in sync for.
     */
    public static List<TopicPartition> of(int brokerId, Collection<TopicDescription> topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicDescription t : topics) {
            for (TopicPartitionInfo p : t.partitions()) {
                boolean replica = p.replicas().stream().anyMatch(n -> n.id() == brokerId);
                if (!replica) {
                    continue;
                }
                boolean inSync = p.isr().stream().map(Node::id).anyMatch(id -> id == brokerId);
                if (p.isr().size() < p.replicas().size() || !inSync) {
                    out.add(new TopicPartition(t.name(), p.partition()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return out;
    }
}
