package io.archiveguardian.guardian.drop.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** A MockAdminClient for the drop's cluster calls: brokers 1-3, topic archive on [2, 3] (the drop took broker 1 off). */
final class MockCluster {

    private MockCluster() {
    }

    static MockAdminClient withArchivePartitions(int count) {
        List<Node> nodes = List.of(new Node(1, "b1", 9092), new Node(2, "b2", 9092), new Node(3, "b3", 9092));
        MockAdminClient admin = MockAdminClient.create().brokers(nodes).build();
        List<TopicPartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            partitions.add(new TopicPartitionInfo(p, nodes.get(1), nodes.subList(1, 3), nodes.subList(1, 3)));
        }
        admin.addTopic(false, "archive", partitions, Map.of());
        return admin;
    }
}
