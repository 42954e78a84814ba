package io.archiveguardian.guardian.replicas;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether the broker on this host is running. {@code drop --execute} and {@code drop --undo} refuse
 * to touch a log dir while it is. TODO(lead): swap {@link ProcLocksBrokerState} for the shared
 * broker-state probe once it lands; this interface is the seam.
 */
public interface LocalBrokerState {

    /** True when any of {@code logDirs} is locked by a running broker (or cannot be ruled out). */
    boolean isRunning(List<Path> logDirs);
}
