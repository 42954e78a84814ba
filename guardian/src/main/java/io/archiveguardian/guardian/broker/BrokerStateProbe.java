package io.archiveguardian.guardian.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Works out from a log dir whether the local broker is running, stopped cleanly, or stopped
 * uncleanly with a recovery pending (KAFKA-FACTS: {@code .lock} locked by the running broker;
 * {@code .kafka_cleanshutdown} written at clean shutdown and deleted at start-up). It never takes
 * the lock: it matches the inode of {@code .lock} in {@code /proc/locks}.
 */
public final class BrokerStateProbe {

    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String META_PROPERTIES = "meta.properties";

    private final ProcLocks procLocks;

    public BrokerStateProbe() {
        this(new ProcLocks());
    }

    BrokerStateProbe(ProcLocks procLocks) {
        this.procLocks = procLocks;
    }

    public LogDirBrokerState probe(Path logDir) {
        String dir = logDir.toString();
        if (!Files.isDirectory(logDir)) {
            return new LogDirBrokerState(dir, BrokerState.UNKNOWN, -1, "log dir does not exist or is not a directory");
        }
        try {
            OptionalLong holder = lockHolder(logDir.resolve(LOCK_FILE));
            if (holder.isPresent()) {
                return new LogDirBrokerState(dir, BrokerState.RUNNING, holder.getAsLong(),
                        "pid " + holder.getAsLong() + " holds " + LOCK_FILE);
            }
            if (!Files.exists(logDir.resolve(META_PROPERTIES))) {
                return new LogDirBrokerState(dir, BrokerState.NOT_FORMATTED, -1, "no " + META_PROPERTIES);
            }
            if (Files.exists(logDir.resolve(CLEAN_SHUTDOWN_FILE))) {
                return new LogDirBrokerState(dir, BrokerState.STOPPED_CLEAN, -1,
                        "not locked; " + CLEAN_SHUTDOWN_FILE + " present: the next start is clean");
            }
            return new LogDirBrokerState(dir, BrokerState.STOPPED_UNCLEAN, -1,
                    "not locked; no " + CLEAN_SHUTDOWN_FILE + ": the next start recovers this log dir");
        } catch (IOException e) {
            return new LogDirBrokerState(dir, BrokerState.UNKNOWN, -1, "cannot read: " + e.getMessage());
        }
    }

    /**
     * True when a broker may be running on any of these log dirs: one is locked, or one cannot be
     * read so a running broker cannot be ruled out. Commands that touch Kafka data while the broker
     * must be stopped ({@code drop --execute}) refuse on true.
     */
    public boolean mayBeRunning(java.util.List<Path> logDirs) {
        for (Path dir : logDirs) {
            BrokerState state = probe(dir).state();
            if (state == BrokerState.RUNNING || state == BrokerState.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    private OptionalLong lockHolder(Path lock) throws IOException {
        long device;
        long inode;
        try {
            device = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty(); // deleted at clean shutdown, or never started
        }
        if (!procLocks.available()) {
            throw new IOException("/proc/locks is not readable, so a running broker cannot be told from a stopped one");
        }
        return procLocks.holder(device, inode);
    }
}
