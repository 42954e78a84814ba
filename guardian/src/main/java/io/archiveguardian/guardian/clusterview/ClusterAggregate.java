package io.archiveguardian.guardian.clusterview;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps every broker's latest summary, keyed by broker id, in the one "cluster" task. */
final class ClusterAggregate implements Processor<String, BrokerView, Void, Void> {

    private KeyValueStore<String, BrokerView> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ClusterTopology.CLUSTER_STORE);
    }

    @Override
    public void process(Record<String, BrokerView> record) {
        BrokerView view = record.value();
        if (view != null) {
            store.put(Integer.toString(view.brokerId()), view.summary());
        }
    }
}
