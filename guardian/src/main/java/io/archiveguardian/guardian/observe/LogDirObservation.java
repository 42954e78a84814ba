package io.archiveguardian.guardian.observe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.logdir.LogDirScan;
import io.archiveguardian.guardian.logdir.LogDirTotals;

/**
 * One log dir in one pass.
 *
 * @param online false when the directory or its filesystem could not be read; {@code error} says why
 * @param mount  the mount point of its filesystem, or null when offline
 * @param totals what the scan counted (partitions, segments, log and index bytes); null when the
 *               scan failed, with the reason in {@code scanError}
 * @param scan   the full scan, for the assess step; not part of the JSON status
 */
public record LogDirObservation(String path, boolean online, String error, String mount, LogDirBrokerState broker,
                                LogDirTotals totals, String scanError, @JsonIgnore LogDirScan scan) {
}
