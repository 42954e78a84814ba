package io.archiveguardian.guardian.retention;

import java.util.List;
import java.util.Optional;

/**
 * One live broker's own retention defaults: what a topic without an override gets on that broker.
 * Brokers can differ (their server.properties, per-broker dynamic configs), and a topic's describe
 * shows only the answering broker's view, so the planner looks at every broker.
 *
 * @param retentionMs    from log.retention.ms, else .minutes, else .hours; empty when unreadable
 * @param retentionBytes from log.retention.bytes; empty when unreadable
 */
public record BrokerRetention(int brokerId, Optional<RetentionValue> retentionMs, Optional<RetentionValue> retentionBytes) {

    /**
     * The topic as the worst broker treats it: an inherited infinite value is replaced by the first
     * broker whose own default for it is finite. Topic overrides and finite values stay as they are.
     */
    public static TopicRetentionConfig worstCase(TopicRetentionConfig topic, List<BrokerRetention> brokers) {
        RetentionValue ms = worst(topic.retentionMs(), brokers.stream().map(BrokerRetention::retentionMs).toList());
        RetentionValue bytes = worst(topic.retentionBytes(), brokers.stream().map(BrokerRetention::retentionBytes).toList());
        if (ms == topic.retentionMs() && bytes == topic.retentionBytes()) {
            return topic;
        }
        return new TopicRetentionConfig(topic.topic(), ms, bytes, topic.cleanupPolicy(), topic.remoteStorage(),
                topic.localRetentionMs(), topic.localRetentionBytes());
    }

    private static RetentionValue worst(RetentionValue topicView, List<Optional<RetentionValue>> brokerValues) {
        if (topicView.source() == ValueSource.TOPIC_OVERRIDE || !topicView.infinite()) {
            return topicView;
        }
        return brokerValues.stream().flatMap(Optional::stream).filter(v -> !v.infinite()).findFirst().orElse(topicView);
    }
}
