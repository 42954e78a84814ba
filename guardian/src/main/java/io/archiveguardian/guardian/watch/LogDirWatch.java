package io.archiveguardian.guardian.watch;

/**
 * One log dir in one pass, beyond the scan totals the observation already carries: how much of it
 * is index, and how fast it is written and its indexes grow.
 *
 * @param scanned                false when the log dir or its scan could not be read this pass; the rest is then 0
 * @param indexShareAllocated    index bytes (.index, .timeindex, .txnindex) / all bytes of the log dir, allocated (du)
 * @param indexShareApparent     the same, apparent sizes (du --apparent-size): includes the sparse 10 MiB preallocation
 * @param growth                 write and index growth rates; null when the log dir was never scanned
 */
public record LogDirWatch(String path, String mount, boolean scanned, double indexShareAllocated,
                          double indexShareApparent, GrowthView growth) {
}
