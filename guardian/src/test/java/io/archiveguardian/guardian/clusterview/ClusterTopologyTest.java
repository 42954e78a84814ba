package io.archiveguardian.guardian.clusterview;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real topology under Kafka Streams' TopologyTestDriver, with a mock wall clock. */
class ClusterTopologyTest {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final DetectorSettings DETECTOR = new DetectorSettings(INTERVAL, TIMEOUT, 0.4);
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Instant STARTED = Instant.parse("2026-11-30T09:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, Heartbeat> heartbeats;
    TestInputTopic<String, Placement> placement;
    final Map<Integer, Long> sequence = new java.util.HashMap<>();

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        ClusterTopology.build(builder, new ClusterTopology.Topics("hb", "pl"), DETECTOR);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cluster-view-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props, T0);
        heartbeats = driver.createInputTopic("hb", new StringSerializer(), new JsonSerde<>(Heartbeat.class).serializer());
        placement = driver.createInputTopic("pl", new StringSerializer(), new JsonSerde<>(Placement.class).serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void keepsTheLatestHeartbeatOfEachBroker() {
        beat(1, "ok", 100);
        beat(2, "warn", 200);
        beat(1, "high", 50);

        ClusterView view = view();
        assertThat(view.brokers()).extracting(ClusterView.Broker::brokerId, ClusterView.Broker::pressure,
                        ClusterView.Broker::usableBytes, ClusterView.Broker::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "high", 50L, "alive"),
                        org.assertj.core.groups.Tuple.tuple(2, "warn", 200L, "alive"));
        assertThat(brokerStore().get("1").heartbeat().sequence()).isEqualTo(1);
    }

    @Test
    void aSilentSidecarIsSuspectAfterOneMissedIntervalAndSilentAfterTheTimeout() {
        beat(1, "ok", 100);
        beat(2, "ok", 100);
        beat(3, "ok", 100);

        step();                       // 10 s: broker 1 is quiet for one interval, still within the slack
        beat(2, "ok", 100);
        beat(3, "ok", 100);
        assertThat(state(1)).isEqualTo("alive");

        step();                       // 20 s: one heartbeat missed
        beat(2, "ok", 100);
        beat(3, "ok", 100);
        assertThat(state(1)).isEqualTo("suspect");
        assertThat(view().totals().suspect()).isEqualTo(1);

        step();                       // 30 s: the silence timeout
        assertThat(state(1)).isEqualTo("silent");
        assertThat(brokerStore().get("1").reason()).isEqualTo(
                "no heartbeat for 30 s (suspect after 15 s, silent after 30 s)");
        assertThat(view().totals().silent()).isEqualTo(1);
        assertThat(state(2)).isEqualTo("alive");

        beat(1, "ok", 100);           // it comes back
        assertThat(state(1)).isEqualTo("alive");
        assertThat(view().totals().silent()).isZero();
    }

    @Test
    void oneLargeWallClockAdvanceFiresThePunctuatorOnceAndConvictsNoOne() {
        beat(1, "ok", 100);
        step();
        beat(1, "ok", 100);

        // The thread was held up for ten intervals: one punctuation, which sees the pause itself.
        driver.advanceWallClockTime(INTERVAL.multipliedBy(10));
        assertThat(state(1)).isEqualTo("alive");

        step();                       // it has watched one interval itself: quiet for 10 s
        assertThat(state(1)).isEqualTo("alive");
        step();
        assertThat(state(1)).isEqualTo("suspect");
        step();
        assertThat(state(1)).isEqualTo("silent");
    }

    @Test
    void anInstanceNewlyInChargeConvictsOnlySilenceItHasWatchedItself() {
        // As restored from the changelog: heard by the previous owner ten minutes ago.
        Heartbeat old = heartbeat(4, "ok", 100, T0.minusSeconds(600));
        brokerStore().put("4", new BrokerView(4, "alive", "heartbeat 0 received", T0.minusSeconds(600),
                T0.minusSeconds(900), old, null, Map.of()));

        step();
        assertThat(state(4)).isEqualTo("alive");
        step();
        assertThat(state(4)).isEqualTo("suspect");
        step();
        assertThat(state(4)).isEqualTo("silent");
    }

    @Test
    void whenMostSidecarsFallSilentAtOnceTheViewItselfIsSuspect() {
        for (int id = 1; id <= 5; id++) {
            beat(id, "ok", 100);
        }
        for (int i = 0; i < 3; i++) {
            step();
            beat(1, "ok", 100);
            beat(2, "ok", 100);
        }
        assertThat(state(3)).isEqualTo("silent");

        ClusterView view = view();
        assertThat(view.state()).isEqualTo("suspect");
        assertThat(view.reason()).startsWith("mass silence: 3 of 5 sidecars silent at once (more than 40%)");
        assertThat(view.totals().silent()).isZero();
        assertThat(view.totals().suspect()).isEqualTo(3);
        assertThat(view.brokers()).filteredOn(b -> b.brokerId() >= 3).extracting(ClusterView.Broker::state)
                .containsOnly("suspect");
    }

    @Test
    void twoOfFiveSilentIsNotMassSilence() {
        for (int id = 1; id <= 5; id++) {
            beat(id, "ok", 100);
        }
        for (int i = 0; i < 3; i++) {
            step();
            beat(1, "ok", 100);
            beat(2, "ok", 100);
            beat(3, "ok", 100);
        }
        ClusterView view = view();
        assertThat(view.state()).isEqualTo("ok");
        assertThat(view.totals().silent()).isEqualTo(2);
    }

    @Test
    void listsThePartitionsWhoseEveryReplicaSitsOnAPressuredDisk() {
        beat(1, "high", 100);
        beat(2, "critical", 100);
        beat(3, "ok", 100);
        place(1, replica("archive", 0, 1, 2), replica("archive", 1, 1, 2, 3));
        place(2, replica("archive", 0, 1, 2), replica("archive", 1, 1, 2, 3));
        place(3, replica("archive", 1, 1, 2, 3));

        assertThat(view().allReplicasPressured()).containsExactly(
                new ClusterView.PressuredPartition("archive-0", List.of(1, 2)));

        beat(3, "high", 100);         // the last healthy copy's disk fills up too
        assertThat(view().allReplicasPressured()).extracting(ClusterView.PressuredPartition::partition)
                .containsExactly("archive-0", "archive-1");

        beat(2, "ok", 100);           // space freed on broker 2
        assertThat(view().allReplicasPressured()).isEmpty();
    }

    @Test
    void sumsBallastHeadroomAndCountsBrokersByPressureAndState() {
        beat(1, "ok", 1_000);
        beat(2, "high", 2_000);
        beat(3, "high", 3_000);
        ClusterView.Totals t = view().totals();
        assertThat(t.brokers()).isEqualTo(3);
        assertThat(t.alive()).isEqualTo(3);
        assertThat(t.usableBytes()).isEqualTo(6_000);
        assertThat(t.armedBallastBytes()).isEqualTo(3 * 500);
        assertThat(t.headroomBytes()).isEqualTo(1_000 + 2_000 + 3_000 + 3 * 500 - 3 * 300);
        assertThat(t.recoveryNeedBytes()).isEqualTo(3 * 300);
        assertThat(t.brokersByPressure()).containsEntry("ok", 1).containsEntry("high", 2)
                .containsEntry("warn", 0).containsEntry("critical", 0);
    }

    @Test
    void anOutOfOrderHeartbeatDoesNotReplaceANewerOne() {
        sequence.put(1, 5L);
        beat(1, "critical", 10);      // sequence 5
        sequence.put(1, 2L);
        beat(1, "ok", 999);           // sequence 2, delivered late

        assertThat(brokerStore().get("1").heartbeat().sequence()).isEqualTo(5);
        assertThat(view().brokers().get(0).pressure()).isEqualTo("critical");
    }

    @Test
    void aHeartbeatOlderThanTheTimeoutWhenItArrivesIsNoProofOfLife() {
        beat(1, "ok", 100);
        step();
        step();
        step();
        assertThat(state(1)).isEqualTo("silent");

        // Buffered somewhere for a minute: its facts are newer, but the sidecar may be dead by now.
        Instant now = T0.plus(INTERVAL.multipliedBy(3));
        heartbeats.pipeInput("1", heartbeat(1, "warn", 50, now.minusSeconds(60)));
        assertThat(state(1)).isEqualTo("silent");
        assertThat(brokerStore().get("1").heartbeat().filesystems().get(0).pressure()).isEqualTo("warn");

        beat(1, "ok", 100);           // a fresh one
        assertThat(state(1)).isEqualTo("alive");
    }

    @Test
    void aSidecarWhoseClockRunsTenMinutesBehindIsJudgedByTheReceiversClock() {
        Duration behind = Duration.ofMinutes(10);
        for (int i = 0; i < 4; i++) {
            heartbeats.pipeInput("1", heartbeat(1, "ok", 100, now().minus(behind)));
            assertThat(state(1)).as("heartbeat %d arrived on time by this view's clock", i).isEqualTo("alive");
            step();
        }
        assertThat(brokerStore().get("1").lastHeard()).isEqualTo(now().minus(INTERVAL));

        step();
        step();
        step();
        assertThat(state(1)).as("silence is still judged, on this view's clock").isEqualTo("silent");
        heartbeats.pipeInput("1", heartbeat(1, "ok", 100, now().minus(behind)));
        assertThat(state(1)).isEqualTo("alive");
    }

    @Test
    void whenNoHeartbeatArrivesAtAllTheViewIsStaleAndSaysSinceWhen() {
        beat(1, "ok", 100);
        beat(2, "ok", 100);
        Instant newest = now();
        ClusterView fresh = view();
        assertThat(fresh.stale()).isFalse();
        assertThat(fresh.ageSeconds()).isZero();

        for (int i = 0; i < 4; i++) {
            step();                   // Kafka is gone: nothing arrives from anyone, this sidecar included
        }
        ClusterView view = view();
        assertThat(view.stale()).isTrue();
        assertThat(view.staleSince()).isEqualTo(newest);
        assertThat(view.newestHeartbeat()).isEqualTo(newest);
        assertThat(view.ageSeconds()).isEqualTo(40.0);
        assertThat(view.state()).as("both silent at once: the brake, not two convictions").isEqualTo("suspect");
        assertThat(view.totals().silent()).isZero();
    }

    // --- fixtures

    private Instant now() {
        return T0.plus(Duration.ofMillis(elapsed));
    }

    private long elapsed;

    private void step() {
        elapsed += INTERVAL.toMillis();
        driver.advanceWallClockTime(INTERVAL);
    }

    private void beat(int broker, String pressure, long usable) {
        heartbeats.pipeInput(Integer.toString(broker), heartbeat(broker, pressure, usable, now()));
    }

    private Heartbeat heartbeat(int broker, String pressure, long usable, Instant sentAt) {
        long seq = sequence.merge(broker, 1L, Long::sum) - 1;
        return new Heartbeat(broker, "host-" + broker, "RUNNING", "test", sentAt, sentAt, INTERVAL.toMillis(), STARTED,
                seq, List.of(new Heartbeat.Disk("/data", List.of("/data/kafka"), pressure, usable,
                usable + 500 - 300, 500, 800, 300)));
    }

    private void place(int broker, Placement.Replica... replicas) {
        placement.pipeInput(Integer.toString(broker), new Placement(broker, now(), List.of(replicas)));
    }

    private static Placement.Replica replica(String topic, int partition, Integer... replicas) {
        return new Placement.Replica(topic, partition, "/data/kafka", List.of(replicas));
    }

    private KeyValueStore<String, BrokerView> brokerStore() {
        return driver.getKeyValueStore(ClusterTopology.BROKER_STORE);
    }

    private String state(int broker) {
        return brokerStore().get(Integer.toString(broker)).state();
    }

    private ClusterView view() {
        KeyValueStore<String, BrokerView> store = driver.getKeyValueStore(ClusterTopology.CLUSTER_STORE);
        List<BrokerView> all = new ArrayList<>();
        try (KeyValueIterator<String, BrokerView> it = store.all()) {
            it.forEachRemaining((KeyValue<String, BrokerView> kv) -> all.add(kv.value));
        }
        return ClusterViews.assess(all, DETECTOR, now());
    }
}
