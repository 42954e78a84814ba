package io.archiveguardian.guardian.recovery;

/**
 * The broker and filesystem facts the model prices space with.
 *
 * @param sparseIndexes     true when the filesystem keeps Kafka's preallocated index files sparse
 *                          (ext4, xfs, tmpfs, ...): index space then costs only what is written
 * @param indexMaxBytes     the broker's {@code log.index.size.max.bytes} (segment.index.bytes)
 * @param indexIntervalBytes {@code log.index.interval.bytes}: one offset and one time index entry per this many log bytes
 * @param segmentBytes      {@code log.segment.bytes}, to count the segments catch-up will roll
 * @param recoveryThreads   {@code num.recovery.threads.per.data.dir}
 * @param blockBytes        the filesystem's allocation unit
 * @param marginRatio       safety margin as a share of the need
 * @param marginMinBytes    the margin is at least this many bytes
 */
public record RecoveryParameters(
        boolean sparseIndexes,
        long indexMaxBytes,
        long indexIntervalBytes,
        long segmentBytes,
        int recoveryThreads,
        long blockBytes,
        double marginRatio,
        long marginMinBytes) {

    /**
     * Filesystems that keep Kafka's preallocated index files sparse (seen on ext4 in KAFKA-FACTS;
     * the others by their documented support for sparse files).
     */
    static final java.util.Set<String> SPARSE_TYPES = java.util.Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
            "zfs", "f2fs", "bcachefs");

    /**
     * The parameters for one filesystem: the broker's own sizes from its server.properties (Kafka's
     * defaults where absent) and the guardian's margin keys.
     */
    public static RecoveryParameters of(io.archiveguardian.guardian.config.GuardianSettings settings, String filesystemType) {
        java.util.Map<String, String> b = settings.brokerProperties();
        var c = settings.config();
        return new RecoveryParameters(
                filesystemType != null && SPARSE_TYPES.contains(filesystemType.toLowerCase(java.util.Locale.ROOT)),
                longOf(b, "log.index.size.max.bytes", 10L * 1024 * 1024),
                longOf(b, "log.index.interval.bytes", 4096),
                longOf(b, "log.segment.bytes", 1024L * 1024 * 1024),
                (int) longOf(b, "num.recovery.threads.per.data.dir", 2),
                4096,
                c.getDouble(io.archiveguardian.guardian.config.GuardianConfig.RECOVERY_MARGIN_RATIO),
                c.getLong(io.archiveguardian.guardian.config.GuardianConfig.RECOVERY_MARGIN_MIN_BYTES));
    }

    /**
     * The share of the filesystem the margin's floor may take at most: the floor is the smaller of
     * {@code recovery.margin.min.bytes} and this share of the filesystem's size, so a floor can
     * never exceed the disk (a 256 MiB floor on a 200 MB disk made every start "not fit"). 2% is
     * CockroachDB's ballast rule of thumb (1%) doubled: on a 10 GiB disk 205 MiB, from 12.5 GiB
     * up the configured 256 MiB.
     */
    public static final double MARGIN_FLOOR_MAX_SHARE = 0.02;

    /**
     * As {@link #of(io.archiveguardian.guardian.config.GuardianSettings, String)}, with the default
     * margin floor scaled to the filesystem. A {@code recovery.margin.min.bytes} the operator set is
     * used as given: that is a decision about this disk, not a default that has to fit every disk.
     */
    public static RecoveryParameters of(io.archiveguardian.guardian.config.GuardianSettings settings,
                                        io.archiveguardian.guardian.disk.FilesystemUsage usage) {
        RecoveryParameters configured = of(settings, usage.type());
        boolean explicit = settings.config().originals()
                .containsKey(io.archiveguardian.guardian.config.GuardianConfig.RECOVERY_MARGIN_MIN_BYTES);
        return explicit ? configured : configured.withFilesystemBytes(usage.totalBytes());
    }

    /**
     * These parameters with the margin floor capped at {@link #MARGIN_FLOOR_MAX_SHARE} of a
     * filesystem of {@code totalBytes} (unchanged when the size is unknown, 0 or less).
     */
    public RecoveryParameters withFilesystemBytes(long totalBytes) {
        return new RecoveryParameters(sparseIndexes, indexMaxBytes, indexIntervalBytes, segmentBytes, recoveryThreads,
                blockBytes, marginRatio, marginFloor(marginMinBytes, totalBytes));
    }

    /** min(configured, 2% of the filesystem); the configured value when the size is unknown. */
    public static long marginFloor(long configuredBytes, long filesystemBytes) {
        if (filesystemBytes <= 0) {
            return configuredBytes;
        }
        return Math.min(configuredBytes, (long) Math.floor(filesystemBytes * MARGIN_FLOOR_MAX_SHARE));
    }

    private static long longOf(java.util.Map<String, String> props, String key, long dflt) {
        String v = props.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Kafka 4.x defaults on a sparse 4 KiB-block filesystem, with the given margin. */
    public static RecoveryParameters kafkaDefaults(double marginRatio, long marginMinBytes) {
        return new RecoveryParameters(true, 10L * 1024 * 1024, 4096, 1024L * 1024 * 1024, 2, 4096, marginRatio, marginMinBytes);
    }

    /** Offset (8 B) and time (12 B) index entries written for this many log bytes. */
    long indexEntryBytes(long logBytes) {
        return logBytes / indexIntervalBytes * 20;
    }

    long roundUpToBlock(long bytes) {
        return bytes <= 0 ? 0 : ((bytes + blockBytes - 1) / blockBytes) * blockBytes;
    }
}
