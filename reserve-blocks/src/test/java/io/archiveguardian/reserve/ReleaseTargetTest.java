package io.archiveguardian.reserve;

import static io.archiveguardian.reserve.Disk.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release expressed as "make at least X usable" is judged under the reserve lock: actors that
 * ask for the same target at the same moment release, together, what one of them would.
 */
class ReleaseTargetTest {

    static final long TIER = 8 * MIB;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    private Path logDir;
    private Reserve reserve;

    @BeforeEach
    void armEightTiers() throws Exception {
        logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        reserve = Reserve.at(ReservePlacement.resolve(logDir, List.of(logDir)), ReserveOptions.defaults("test"));
        ArmResult armed = reserve.arm(TierPlan.split(8 * TIER, 8), ArmPolicy.unconditional(), Trigger.MANUAL, "test");
        assertThat(armed.armedTiers()).hasSize(8);
    }

    @Test
    void aTargetAlreadyReachedReleasesNothingAndOneJustShortReleasesOneTier() {
        long usable = Disk.dfAvailable(logDir);
        assertThat(reserve.release(ReleaseRequest.usableAtLeast(usable - MIB), Trigger.PRESTART, "t").releasedTiers()).isEmpty();
        ReleaseResult one = reserve.release(ReleaseRequest.usableAtLeast(usable + MIB), Trigger.PRESTART, "t");
        assertThat(one.releasedTiers()).containsExactly(1);
        assertThat(one.usableAfter()).isGreaterThanOrEqualTo(usable + MIB);
    }

    @Test
    void aTierDeletedWhileAReaderHoldsItOpenIsWaitedForInsteadOfReleasingAnother() throws Exception {
        long usable = Disk.dfAvailable(logDir);
        long target = usable + 4 * MIB;
        Path tier1 = reserve.location().tierFile(1);
        java.nio.channels.FileChannel reader = java.nio.channels.FileChannel.open(tier1); // a lock-free status read, say
        ReleaseResult first = reserve.release(ReleaseRequest.usableAtLeast(target), Trigger.UNCLEAN_SHUTDOWN, "guard");
        assertThat(first.releasedTiers()).containsExactly(1);
        assertThat(Disk.dfAvailable(logDir)).as("the deleted tier's blocks are still held by the reader").isLessThan(target);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(50);
                reader.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        ReleaseResult second = reserve.release(ReleaseRequest.usableAtLeast(target), Trigger.PRESTART, "prestart");
        closer.join();
        assertThat(second.releasedTiers()).as("the second actor waited for the space instead of taking tier 2").isEmpty();
        assertThat(Disk.dfAvailable(logDir)).isGreaterThanOrEqualTo(target);
    }

    @Test
    void threeProcessesAndAThreadAskingForTheSameTargetAtOnceReleaseItOnce() throws Exception {
        long usableBefore = Disk.dfAvailable(logDir);
        long need = 20 * MIB; // 2.5 tiers: three tiers make it
        long target = usableBefore + need;
        Path go = disk.root().resolve("go");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx64m", ReleaseTargetChildMain.class.getName(),
                    logDir.toString(), Long.toString(target), go.toString()).redirectErrorStream(true).start());
        }
        List<BufferedReader> outputs = new ArrayList<>();
        for (Process p : children) {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("READY");
            outputs.add(r);
        }
        Files.createFile(go);
        ReleaseResult mine = reserve.release(ReleaseRequest.usableAtLeast(target), Trigger.UNCLEAN_SHUTDOWN, "race");
        long released = mine.releasedBytes();
        for (int i = 0; i < children.size(); i++) {
            String line = outputs.get(i).readLine();
            assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(line).startsWith("RELEASED ");
            released += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
        long usableAfter = Disk.dfAvailable(logDir);
        System.out.printf("need %d MiB, released together %d MiB, usable %d -> %d MiB%n",
                need / MIB, released / MIB, usableBefore / MIB, usableAfter / MIB);
        // The bound: at least the need, less than the need plus one tier (the granularity).
        assertThat(released).isGreaterThanOrEqualTo(need).isLessThan(need + TIER);
        assertThat(released).isEqualTo(3 * TIER);
        assertThat(usableAfter).isGreaterThanOrEqualTo(target);
        assertThat(reserve.status().tiers().stream().filter(t -> t.state() == TierState.ARMED)).hasSize(5);
    }
}
