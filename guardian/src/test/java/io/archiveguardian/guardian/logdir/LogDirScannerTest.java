package io.archiveguardian.guardian.logdir;

import static io.archiveguardian.guardian.logdir.SyntheticLogDir.INDEX_PREALLOCATION;
import static io.archiveguardian.guardian.logdir.SyntheticLogDir.base;
import static io.archiveguardian.guardian.logdir.SyntheticLogDir.du;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirScannerTest {

    @TempDir
    Path tmp;

    private final LogDirScanner scanner = new LogDirScanner();

    /** topic archive-0: two closed segments and an active one with sparse 10 MiB indexes. */
    private SyntheticLogDir archivePartition() {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        logDir.closedSegment("archive-0", 0, 1000, 16);
        logDir.closedSegment("archive-0", 120, 2000, 24);
        logDir.activeSegment("archive-0", 250, 300);
        logDir.file("archive-0", base(120) + ".txnindex", 40);
        logDir.file("archive-0", base(120) + ".snapshot", 10);
        logDir.file("archive-0", base(250) + ".snapshot", 20);
        logDir.file("archive-0", "leader-epoch-checkpoint", 12);
        logDir.file("archive-0", "partition.metadata", 50);
        logDir.file("archive-0", base(0) + ".log.deleted", 70);
        return logDir;
    }

    @Test
    void countsSegmentsLogBytesAndEveryIndexKindSplitIntoClosedAndActive() {
        SyntheticLogDir logDir = archivePartition();

        PartitionScan p = scanner.scan(logDir.root()).partition("archive-0").orElseThrow();

        assertThat(p.kind()).isEqualTo(PartitionKind.PARTITION);
        assertThat(p.segmentCount()).isEqualTo(3);
        assertThat(p.log().apparentBytes()).isEqualTo(3300);
        assertThat(p.closed().segments()).isEqualTo(2);
        assertThat(p.closed().offsetIndex().apparentBytes()).isEqualTo(40);
        assertThat(p.closed().timeIndex().apparentBytes()).isEqualTo(40);
        assertThat(p.closed().txnIndex().apparentBytes()).isEqualTo(40);
        assertThat(p.active().segments()).isEqualTo(1);
        assertThat(p.active().log().apparentBytes()).isEqualTo(300);
        assertThat(p.active().offsetIndex().apparentBytes()).isEqualTo(INDEX_PREALLOCATION);
        assertThat(p.active().timeIndex().apparentBytes()).isEqualTo(INDEX_PREALLOCATION);
        assertThat(p.offsetIndex().apparentBytes()).isEqualTo(INDEX_PREALLOCATION + 40);
        assertThat(p.snapshotFiles()).isEqualTo(2);
        assertThat(p.snapshots().apparentBytes()).isEqualTo(30);
        assertThat(p.segments().count()).isEqualTo(3);
        assertThat(p.segments().baseOffset(0)).isZero();
        assertThat(p.segments().baseOffset(2)).isEqualTo(250);
        assertThat(p.segments().logBytes(1)).isEqualTo(2000);
        assertThat(p.error()).isEmpty();
    }

    @Test
    void sparsePreallocatedIndexesHaveTheirFullApparentSizeButAllocateOnlyWhatDuSees() {
        SyntheticLogDir logDir = archivePartition();
        Path dir = logDir.root().resolve("archive-0");

        PartitionScan p = scanner.scan(logDir.root()).partition("archive-0").orElseThrow();

        Path activeIndex = dir.resolve(base(250) + ".index");
        assertThat(p.active().offsetIndex().allocatedBytes())
                .isEqualTo(du(false, activeIndex))
                .isLessThan(INDEX_PREALLOCATION / 100);
        assertThat(p.offsetIndex().allocatedBytes())
                .isEqualTo(du(false, dir.resolve(base(0) + ".index"), dir.resolve(base(120) + ".index"), activeIndex));
        assertThat(p.timeIndex().allocatedBytes()).isEqualTo(du(false, dir.resolve(base(0) + ".timeindex"),
                dir.resolve(base(120) + ".timeindex"), dir.resolve(base(250) + ".timeindex")));
    }

    @Test
    void totalsOfALogDirEqualDuAndDuApparentSizeOfTheSameDirectory() {
        SyntheticLogDir logDir = archivePartition();
        logDir.closedSegment("archive-1", 0, 5000, 8);
        logDir.activeSegment("archive-1", 77, 10);
        logDir.activeSegment("archive-1.AAAAAAAAAAAAAAAAAAAAAA-delete", 0, 4096);
        logDir.rootFile("meta.properties", "node.id=1\n");
        logDir.rootFile(LogDirScanner.RECOVERY_POINT_CHECKPOINT, "0\n1\narchive 0 250\n");

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.allocatedKnown()).isTrue();
        assertThat(scan.totals().total().apparentBytes()).isEqualTo(du(true, logDir.root()));
        assertThat(scan.totals().total().allocatedBytes()).isEqualTo(du(false, logDir.root()));
        assertThat(scan.totals().partitions()).isEqualTo(2);
        assertThat(scan.totals().segments()).isEqualTo(5);
        assertThat(scan.totals().log().apparentBytes()).isEqualTo(3300 + 5010);
    }

    @Test
    void deleteFutureAndStrayDirectoriesAreReportedApartFromLivePartitions() {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        logDir.activeSegment("events-3", 0, 100);
        logDir.activeSegment("events-3.Qx9_-abcdefghijklmnopqr-future", 0, 200);
        logDir.closedSegment("old.topic-1.bbbbbbbbbbbbbbbbbbbbbb-delete", 0, 300, 8);
        logDir.activeSegment("gone-0.cccccccccccccccccccccc-stray", 40, 400);

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.partitions()).extracting(p -> p.name().name()).containsExactly("events-3");
        assertThat(scan.special()).extracting(PartitionScan::kind)
                .containsExactly(PartitionKind.FUTURE, PartitionKind.STRAY, PartitionKind.DELETE);
        assertThat(scan.special()).extracting(p -> p.name().topicPartition())
                .containsExactly("events-3", "gone-0", "old.topic-1");
        assertThat(scan.totals().log().apparentBytes()).isEqualTo(100);
        assertThat(scan.totals().specialDirectories()).isEqualTo(3);
        assertThat(scan.totals().special()).isEqualTo(scan.special().stream().map(PartitionScan::total)
                .reduce(FileSize.ZERO, FileSize::plus));
        assertThat(scan.totals().special().apparentBytes()).isGreaterThan(900 + 4 * INDEX_PREALLOCATION);
    }

    @Test
    void theClusterMetadataLogIsAPartitionOfItsOwnFlaggedAsMetadata() {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        logDir.activeSegment("__cluster_metadata-0", 0, 900);
        logDir.activeSegment("__consumer_offsets-7", 0, 10);

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.partition("__cluster_metadata-0").orElseThrow().kind()).isEqualTo(PartitionKind.METADATA);
        assertThat(scan.partition("__consumer_offsets-7").orElseThrow().kind()).isEqualTo(PartitionKind.PARTITION);
    }

    @Test
    void aSubdirectoryTheBrokerCannotParseIsReportedAsUnrecognized() {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        logDir.dir(".guardian-reserve");
        logDir.activeSegment("archive-0", 0, 10);

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.special()).singleElement().satisfies(s -> {
            assertThat(s.name().name()).isEqualTo(".guardian-reserve");
            assertThat(s.kind()).isEqualTo(PartitionKind.UNRECOGNIZED);
        });
    }

    @Test
    void readsBothCheckpointsAndCountsWhatLiesFromEachRecoveryPoint() {
        SyntheticLogDir logDir = archivePartition();
        logDir.closedSegment("archive-1", 0, 5000, 8);
        logDir.activeSegment("archive-1", 77, 10);
        logDir.activeSegment("archive-2", 0, 444);
        // archive-0 from offset 130 (inside the segment at 120), archive-1 has nothing unflushed,
        // archive-2 has no entry: from 0
        logDir.rootFile(LogDirScanner.RECOVERY_POINT_CHECKPOINT, "0\n2\narchive 0 130\narchive 1 77\n");
        logDir.rootFile(LogDirScanner.LOG_START_OFFSET_CHECKPOINT, "0\n1\narchive 0 0\n");

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.recoveryPoints().status()).isEqualTo(OffsetCheckpoint.Status.OK);
        assertThat(scan.recoveryPoints().offset("archive-0")).hasValue(130);
        assertThat(scan.logStartOffsets().offsets()).containsExactly(java.util.Map.entry("archive-0", 0L));
        assertThat(scan.logBytesFromRecoveryPoints()).isEqualTo(2000 + 300 + 10 + 444);
        assertThat(scan.segmentsFromRecoveryPoints()).isEqualTo(2 + 1 + 1);
    }

    @Test
    void aCorruptRecoveryCheckpointMeansEverySegmentIsRecoveredAndIsReported() {
        SyntheticLogDir logDir = archivePartition();
        logDir.rootFile(LogDirScanner.RECOVERY_POINT_CHECKPOINT, "0\n5\narchive 0 130\n");

        LogDirScan scan = scanner.scan(logDir.root());

        assertThat(scan.recoveryPoints().status()).isEqualTo(OffsetCheckpoint.Status.CORRUPT);
        assertThat(scan.recoveryPoints().detail())
                .isEqualTo("recovery-point-offset-checkpoint: count line says 5 entries, found 1");
        assertThat(scan.logStartOffsets().status()).isEqualTo(OffsetCheckpoint.Status.MISSING);
        assertThat(scan.logBytesFromRecoveryPoints()).isEqualTo(3300);
    }

    @Test
    void aMissingLogDirGivesAResultWithAnErrorInsteadOfAnException() {
        Path missing = tmp.resolve("offline-disk/kafka-logs");

        LogDirScan scan = scanner.scan(missing);

        assertThat(scan.ok()).isFalse();
        assertThat(scan.error()).hasValue(missing + ": the log dir does not exist");
        assertThat(scan.partitions()).isEmpty();
        assertThat(scanner.rescan(scan).error()).isEqualTo(scan.error());
    }

    @Test
    void aFileWhereTheLogDirShouldBeIsAnErrorToo() throws Exception {
        Path file = Files.writeString(tmp.resolve("kafka-logs"), "not a dir");

        assertThat(scanner.scan(file).error()).hasValue(file + ": the log dir is not a directory");
    }

    @Test
    void anIncrementalScanOfASettledLogDirStatsOnlyActiveSegmentsAndSeesThemGrow() {
        SyntheticLogDir logDir = archivePartition();
        logDir.closedSegment("archive-1", 0, 5000, 8);
        logDir.activeSegment("archive-1", 77, 10);
        logDir.settle();
        LogDirScan full = scanner.scan(logDir.root());

        SyntheticLogDir.append(logDir.root().resolve("archive-1/" + base(77) + ".log"), 1234);
        LogDirScan incremental = scanner.rescan(full);

        assertThat(incremental.work().mode()).isEqualTo(ScanWork.Mode.INCREMENTAL);
        assertThat(incremental.work().partitionsRead()).isZero();
        // the log dir + its 2 entries + per partition the active .log .index .timeindex (no .txnindex there)
        assertThat(incremental.work().pathsStatted()).isEqualTo(1 + 2 + 2 * 3);
        assertThat(incremental.work().directoriesListed()).isEqualTo(1);
        assertThat(incremental.partition("archive-1").orElseThrow().active().log().apparentBytes()).isEqualTo(1244);
        assertThat(incremental.partition("archive-1").orElseThrow().segments().logBytes(1)).isEqualTo(1244);
        assertThat(incremental.totals()).isEqualTo(scanner.scan(logDir.root()).totals());
    }

    @Test
    void anActiveSegmentsTransactionIndexIsFollowedByIncrementalScansToo() {
        SyntheticLogDir logDir = archivePartition();
        Path txnIndex = logDir.file("archive-0", base(250) + ".txnindex", 34);
        logDir.settle();
        LogDirScan full = scanner.scan(logDir.root());

        SyntheticLogDir.append(txnIndex, 68);
        LogDirScan incremental = scanner.rescan(full);

        PartitionScan p = incremental.partition("archive-0").orElseThrow();
        assertThat(incremental.work().partitionsRead()).isZero();
        assertThat(p.active().txnIndexFiles()).isEqualTo(1);
        assertThat(p.active().txnIndex().apparentBytes()).isEqualTo(102);
        assertThat(p.txnIndex().apparentBytes()).isEqualTo(40 + 102);
    }

    @Test
    void aRolledSegmentMakesTheIncrementalScanReadThatPartitionDirectoryAgain() {
        SyntheticLogDir logDir = archivePartition();
        logDir.activeSegment("archive-1", 0, 10);
        logDir.settle();
        LogDirScan full = scanner.scan(logDir.root());

        logDir.activeSegment("archive-0", 400, 5);
        LogDirScan incremental = scanner.rescan(full);

        PartitionScan p = incremental.partition("archive-0").orElseThrow();
        assertThat(incremental.work().partitionsRead()).isEqualTo(1);
        assertThat(p.segmentCount()).isEqualTo(4);
        assertThat(p.segments().activeBaseOffset()).hasValue(400);
        assertThat(p.closed().offsetIndex().apparentBytes()).isEqualTo(40 + INDEX_PREALLOCATION);
        assertThat(incremental.totals()).isEqualTo(scanner.scan(logDir.root()).totals());
    }

    @Test
    void anIncrementalScanSeesPartitionsCreatedAndDeletedAndRenamedForDeletion() throws Exception {
        SyntheticLogDir logDir = archivePartition();
        logDir.activeSegment("archive-1", 0, 10);
        logDir.settle();
        LogDirScan full = scanner.scan(logDir.root());

        logDir.activeSegment("archive-2", 0, 10);
        Files.move(logDir.root().resolve("archive-1"), logDir.root().resolve("archive-1.dddddddddddddddddddddd-delete"));
        LogDirScan incremental = scanner.rescan(full);

        assertThat(incremental.partitions()).extracting(p -> p.name().name()).containsExactly("archive-0", "archive-2");
        assertThat(incremental.special()).extracting(PartitionScan::kind).containsExactly(PartitionKind.DELETE);
        assertThat(incremental.totals()).isEqualTo(scanner.scan(logDir.root()).totals());
    }

    @Test
    void directoriesModifiedJustBeforeThePreviousScanAreReadAgainBecauseTheirMtimeCannotBeTrusted() {
        SyntheticLogDir logDir = archivePartition();
        logDir.activeSegment("archive-1", 0, 10);
        LogDirScan full = scanner.scan(logDir.root());

        LogDirScan incremental = scanner.rescan(full);

        assertThat(incremental.work().partitionsRead()).isEqualTo(2);
    }

    @Test
    void partitionsAndSegmentsVanishingAndAppearingDuringScansNeverMakeAScanFail() throws Exception {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        for (int p = 0; p < 20; p++) {
            for (int s = 0; s < 20; s++) {
                logDir.closedSegment("churn-" + p, s * 10L, 100, 8);
            }
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> churnFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread churn = new Thread(() -> {
            try {
                for (int round = 0; !stop.get(); round++) {
                    String name = "churn-" + (round % 20);
                    Path dir = logDir.root().resolve(name);
                    Path renamed = logDir.root().resolve(name + ".eeeeeeeeeeeeeeeeeeeeee-delete");
                    Files.move(dir, renamed);
                    try (var files = Files.list(renamed)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(renamed);
                    for (int s = 0; s < 20; s++) {
                        logDir.closedSegment(name, s * 10L, 100, 8);
                    }
                }
            } catch (Throwable t) {
                churnFailure.set(t);
            }
        });
        churn.start();
        LogDirScan scan = scanner.scan(logDir.root());
        long deadline = System.nanoTime() + 1_500_000_000L;
        int scans = 0;
        try {
            while (System.nanoTime() < deadline) {
                LogDirScanner which = scans % 4 < 2 ? scanner : new LogDirScanner(java.time.Clock.systemUTC(), 2);
                scan = scans % 2 == 0 ? which.scan(logDir.root()) : which.rescan(scan);
                assertThat(scan.error()).isEmpty();
                assertThat(scan.partitions()).allSatisfy(p -> assertThat(p.error()).isEmpty());
                scans++;
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertThat(churnFailure.get()).isNull();
        assertThat(scans).isGreaterThan(10);
    }

    @Test
    void aScanSerializesToJsonForTheStatusApiWithSegmentsSummarized() throws Exception {
        SyntheticLogDir logDir = archivePartition();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

        var json = mapper.readTree(mapper.writeValueAsString(scanner.scan(logDir.root())));

        var partition = json.get("partitions").get(0);
        assertThat(partition.get("name").get("name").asText()).isEqualTo("archive-0");
        assertThat(partition.get("segments").toString())
                .isEqualTo("{\"count\":3,\"log_bytes\":3300,\"first_base_offset\":0,\"active_base_offset\":250}");
        assertThat(json.get("totals").get("offsetIndex").get("apparentBytes").asLong()).isEqualTo(INDEX_PREALLOCATION + 40);
    }

    @Test
    void aScannerWithSeveralThreadsFindsExactlyWhatOneThreadFindsInFullAndIncrementalScans() {
        SyntheticLogDir logDir = archivePartition();
        for (int p = 0; p < 40; p++) {
            logDir.closedSegment("t-" + p, 0, 100 + p, 8);
            logDir.activeSegment("t-" + p, 10, p);
        }
        logDir.activeSegment("t-1.AAAAAAAAAAAAAAAAAAAAAA-delete", 0, 5);
        logDir.settle();
        LogDirScanner parallel = new LogDirScanner(java.time.Clock.systemUTC(), 3);

        LogDirScan one = scanner.scan(logDir.root());
        LogDirScan three = parallel.scan(logDir.root());
        assertThat(three.partitions()).isEqualTo(one.partitions());
        assertThat(three.special()).isEqualTo(one.special());
        assertThat(three.totals()).isEqualTo(one.totals());
        assertThat(three.work().pathsStatted()).isEqualTo(one.work().pathsStatted());

        SyntheticLogDir.append(logDir.root().resolve("t-7/" + base(10) + ".log"), 1000);
        logDir.activeSegment("t-8", 20, 3);
        LogDirScan threeAgain = parallel.rescan(three);
        assertThat(threeAgain.work().partitionsRead()).isEqualTo(1);
        assertThat(threeAgain.partitions()).isEqualTo(scanner.scan(logDir.root()).partitions());
    }

    @Test
    void partitionsAreListedByNameSoTwoScansOfTheSameTreeAreEqual() {
        SyntheticLogDir logDir = new SyntheticLogDir(tmp.resolve("kafka-logs"));
        for (String name : List.of("b-1", "a-0", "c-2", "a-10")) {
            logDir.activeSegment(name, 0, 1);
        }
        LogDirScan first = scanner.scan(logDir.root());

        assertThat(first.partitions()).extracting(p -> p.name().name()).containsExactly("a-0", "a-10", "b-1", "c-2");
        assertThat(scanner.scan(logDir.root()).partitions()).isEqualTo(first.partitions());
    }
}
