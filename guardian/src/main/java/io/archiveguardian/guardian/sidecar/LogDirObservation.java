package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.broker.LogDirBrokerState;

/**
 * One log dir in one pass.
 *
 * @param online false when the directory or its filesystem could not be read; {@code error} says why
 * @param mount  the mount point of its filesystem, or null when offline
 */
public record LogDirObservation(String path, boolean online, String error, String mount, LogDirBrokerState broker) {
}
