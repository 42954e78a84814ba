package io.archiveguardian.guardian.logdir;

/** Mutable tallies of one scan in progress; becomes a {@link ScanWork} at the end. */
final class ScanCounters {
    int directoriesListed;
    long pathsStatted;
    int partitionsRead;
    int vanished;

    void add(ScanCounters other) {
        directoriesListed += other.directoriesListed;
        pathsStatted += other.pathsStatted;
        partitionsRead += other.partitionsRead;
        vanished += other.vanished;
    }
}
