package io.archiveguardian.guardian.clusterview;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The cluster view's Kafka Streams topology.
 *
 * <pre>
 * heartbeats ─┐
 *             ├─ merge ─ BrokerWatch (store broker-views, keyed by broker id; wall-clock detector)
 * placement ──┘              │ one BrokerView per heartbeat, placement and state change
 *                            └─ re-keyed "cluster" ─ repartition ─ ClusterAggregate (store cluster-brokers)
 * </pre>
 *
 * Both stores are in memory with changelogs: the state is small and no RocksDB touches any disk.
 * The one "cluster" task holds every broker's summary; {@link ClusterViews#assess} turns it into
 * the view (states after the brake, totals, partitions with every replica pressured).
 */
public final class ClusterTopology {

    public static final String BROKER_STORE = "broker-views";
    public static final String CLUSTER_STORE = "cluster-brokers";
    /** The key of the repartitioned stream: every broker summary meets in one task. */
    public static final String CLUSTER_KEY = "cluster";

    private ClusterTopology() {
    }

    /** Topic names of the inputs. */
    public record Topics(String heartbeats, String placement) {
    }

    public static void build(StreamsBuilder builder, Topics topics, DetectorSettings detector) {
        JsonSerde<BrokerView> viewSerde = new JsonSerde<>(BrokerView.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BROKER_STORE),
                Serdes.String(), viewSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CLUSTER_STORE),
                Serdes.String(), viewSerde));

        KStream<String, BrokerInput> heartbeats = builder
                .stream(topics.heartbeats(), Consumed.with(Serdes.String(), new JsonSerde<>(Heartbeat.class))
                        .withName("heartbeats"))
                .mapValues(h -> (BrokerInput) h);
        KStream<String, BrokerInput> placement = builder
                .stream(topics.placement(), Consumed.with(Serdes.String(), new JsonSerde<>(Placement.class))
                        .withName("placement"))
                .mapValues(p -> (BrokerInput) p);

        heartbeats.merge(placement)
                .filter((key, value) -> key != null && value != null)
                .process(() -> new BrokerWatch(detector), BROKER_STORE)
                .selectKey((key, value) -> CLUSTER_KEY)
                .repartition(Repartitioned.with(Serdes.String(), viewSerde).withName("cluster"))
                .process(ClusterAggregate::new, CLUSTER_STORE);
    }
}
