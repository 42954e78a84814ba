package io.archiveguardian.guardian.retention;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.server.log.remote.storage.LogSegmentData;
import org.apache.kafka.server.log.remote.storage.RemoteLogSegmentMetadata;
import org.apache.kafka.server.log.remote.storage.RemoteStorageException;
import org.apache.kafka.server.log.remote.storage.RemoteStorageManager;

/**
 * A remote storage that stores nothing: enough for brokers to accept tiered-storage topics
 * ({@code remote.storage.enable=true}) whose configs the guardian reads. The tests write no records,
 * so nothing is ever copied or fetched.
 */
public final class NoOpRemoteStorageManager implements RemoteStorageManager {

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public Optional<RemoteLogSegmentMetadata.CustomMetadata> copyLogSegmentData(RemoteLogSegmentMetadata metadata,
                                                                                LogSegmentData data) {
        return Optional.empty();
    }

    @Override
    public InputStream fetchLogSegment(RemoteLogSegmentMetadata metadata, int start) throws RemoteStorageException {
        throw new RemoteStorageException("this test remote storage holds no data");
    }

    @Override
    public InputStream fetchLogSegment(RemoteLogSegmentMetadata metadata, int start, int end) throws RemoteStorageException {
        throw new RemoteStorageException("this test remote storage holds no data");
    }

    @Override
    public InputStream fetchIndex(RemoteLogSegmentMetadata metadata, IndexType indexType) throws RemoteStorageException {
        throw new RemoteStorageException("this test remote storage holds no data");
    }

    @Override
    public void deleteLogSegmentData(RemoteLogSegmentMetadata metadata) {
    }

    @Override
    public void close() {
    }
}
