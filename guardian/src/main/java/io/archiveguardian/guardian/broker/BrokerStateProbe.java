package io.archiveguardian.guardian.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Works out from a log dir whether the local broker is running, stopped cleanly, or stopped
 * uncleanly with a recovery pending (KAFKA-FACTS: {@code .lock} locked by the running broker;
 * {@code .kafka_cleanshutdown} written at clean shutdown and deleted at start-up). It never takes
 * the lock.
 *
 * <p>The lock is read with {@code fcntl(F_GETLK)} on {@code .lock} opened read-only, which works
 * from any PID namespace (a Kubernetes sidecar container without a shared process namespace);
 * {@code /proc/locks} is the fallback where that call is unavailable, and is read first to see a
 * lock this very process holds (F_GETLK does not report the caller's own locks, and closing a
 * descriptor would drop them). When the broker's listener is known, a TCP connect to it
 * corroborates: a lock nobody seems to hold while the port accepts, or a held lock while the port
 * refuses, is {@link BrokerState#UNKNOWN}, which never triggers a release nor permits a drop.
 */
public final class BrokerStateProbe {

    static final String LOCK_FILE = ".lock";
    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String META_PROPERTIES = "meta.properties";

    private final ProcLocks procLocks;
    private final FcntlLocks fcntl;
    private final Optional<ListenerProbe> listener;

    /** Reads the lock only (no listener to corroborate with). */
    public BrokerStateProbe() {
        this(new ProcLocks(), new FcntlLocks(), Optional.empty());
    }

    BrokerStateProbe(ProcLocks procLocks) {
        this(procLocks, new FcntlLocks(), Optional.empty());
    }

    BrokerStateProbe(ProcLocks procLocks, FcntlLocks fcntl, Optional<ListenerProbe> listener) {
        this.procLocks = procLocks;
        this.fcntl = fcntl;
        this.listener = listener;
    }

    /** Reads the lock and corroborates with a connect to the listener in the broker's server.properties. */
    public static BrokerStateProbe forBroker(Map<String, String> brokerProperties) {
        return new BrokerStateProbe(new ProcLocks(), new FcntlLocks(), ListenerProbe.of(brokerProperties));
    }

    /**
     * As {@link #forBroker(Map)}, but corroborating with a connect to {@code address} (HOST:PORT)
     * when it is not blank: the broker's address seen from another network namespace.
     */
    public static BrokerStateProbe forBroker(Map<String, String> brokerProperties, String address) {
        Optional<ListenerProbe> listener = address == null || address.isBlank()
                ? ListenerProbe.of(brokerProperties) : Optional.of(ListenerProbe.at(address.trim()));
        return new BrokerStateProbe(new ProcLocks(), new FcntlLocks(), listener);
    }

    /** Every log dir's state, keyed by its path as given, in the given order. */
    public java.util.Map<String, LogDirBrokerState> probeAll(java.util.List<Path> logDirs) {
        java.util.Map<String, LogDirBrokerState> states = new java.util.LinkedHashMap<>();
        for (Path dir : logDirs) {
            states.put(dir.toString(), probe(dir));
        }
        return states;
    }

    /** The listener this probe corroborates with, if any. */
    public Optional<ListenerProbe> listener() {
        return listener;
    }

    public LogDirBrokerState probe(Path logDir) {
        String dir = logDir.toString();
        if (!Files.isDirectory(logDir)) {
            return new LogDirBrokerState(dir, BrokerState.UNKNOWN, -1, "log dir does not exist or is not a directory");
        }
        try {
            Lock lock = lock(logDir.resolve(LOCK_FILE));
            ListenerProbe.Answer answer = listenerAnswer();
            if (lock.held()) {
                if (answer == ListenerProbe.Answer.REFUSES) {
                    return new LogDirBrokerState(dir, BrokerState.UNKNOWN, lock.pid(), lock.describe()
                            + ", but the broker's listener " + listener.get() + " refuses connections: the broker is "
                            + "starting or stopping, or another process holds the lock");
                }
                return new LogDirBrokerState(dir, BrokerState.RUNNING, lock.pid(), lock.describe()
                        + (answer == ListenerProbe.Answer.ACCEPTS ? "; listener " + listener.get() + " accepts" : ""));
            }
            if (answer == ListenerProbe.Answer.ACCEPTS) {
                return new LogDirBrokerState(dir, BrokerState.UNKNOWN, -1, "no process holds " + LOCK_FILE + " ("
                        + lock.method() + "), but the broker's listener " + listener.get() + " accepts connections: "
                        + "a broker may run where its lock cannot be seen");
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

    /** One connect serves every log dir probed within this time (JBOD: one connect per poll, not per dir). */
    private static final long ANSWER_REUSE_NANOS = 200_000_000L;

    private record TimedAnswer(ListenerProbe.Answer answer, long at) {
    }

    private volatile TimedAnswer lastAnswer;

    private ListenerProbe.Answer listenerAnswer() {
        if (listener.isEmpty()) {
            return ListenerProbe.Answer.INCONCLUSIVE;
        }
        TimedAnswer last = lastAnswer;
        long now = System.nanoTime();
        if (last != null && now - last.at() < ANSWER_REUSE_NANOS) {
            return last.answer();
        }
        ListenerProbe.Answer answer = listener.get().probe();
        lastAnswer = new TimedAnswer(answer, System.nanoTime());
        return answer;
    }

    /** What the lock file says: held or not, by which pid (0: in another PID namespace), found how. */
    record Lock(boolean held, long pid, String method) {
        String describe() {
            return (pid > 0 ? "pid " + pid : "a process in another PID namespace") + " holds " + LOCK_FILE + " (" + method + ")";
        }
    }

    private Lock lock(Path lock) throws IOException {
        try {
            Files.getAttribute(lock, "unix:ino");
        } catch (NoSuchFileException e) {
            return new Lock(false, -1, "no " + LOCK_FILE); // deleted at clean shutdown, or never started
        }
        OptionalLong visible = OptionalLong.empty();
        if (procLocks.available()) {
            long device = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            long inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
            visible = procLocks.holder(device, inode);
            if (visible.isPresent() && visible.getAsLong() == ProcessHandle.current().pid()) {
                // Our own lock (a drop holding it): F_GETLK cannot see it and closing a descriptor would drop it.
                return new Lock(true, visible.getAsLong(), "/proc/locks: this process");
            }
        }
        if (fcntl.available()) {
            OptionalLong holder = fcntl.holder(lock);
            if (holder.isEmpty()) {
                return new Lock(false, -1, "F_GETLK");
            }
            long pid = holder.getAsLong() > 0 ? holder.getAsLong() : visible.orElse(0);
            return new Lock(true, pid, "F_GETLK");
        }
        if (!procLocks.available()) {
            throw new IOException("neither fcntl(F_GETLK) nor /proc/locks is available, so a running broker cannot be "
                    + "told from a stopped one");
        }
        return visible.isPresent() ? new Lock(true, visible.getAsLong(), "/proc/locks") : new Lock(false, -1, "/proc/locks");
    }
}
