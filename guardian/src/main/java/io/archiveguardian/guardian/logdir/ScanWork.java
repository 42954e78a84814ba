package io.archiveguardian.guardian.logdir;

import java.time.Duration;

/**
 * What one scan did, to show its cost: the mode, directories listed, paths stat'ed, partition
 * directories read in full, paths that vanished while being read, and the elapsed time.
 */
public record ScanWork(Mode mode, int directoriesListed, long pathsStatted, int partitionsRead,
                       int vanished, Duration duration) {

    public enum Mode { FULL, INCREMENTAL }
}
