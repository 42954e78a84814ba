package io.archiveguardian.guardian.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcLocksTest {

    // makedev(253, 1) as glibc encodes it
    static final long DEV_253_1 = (253L << 8) | 1L;

    @Test
    void findsThePidHoldingALockOnTheInodeOfTheRightDevice() {
        List<String> lines = List.of(
                "1: POSIX  ADVISORY  WRITE 4242 fd:01:1573020 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 77 fd:02:1573020 0 EOF",
                "3: OFDLCK ADVISORY  READ  -1 00:06:1 0 EOF");
        assertThat(ProcLocks.holder(lines, DEV_253_1, 1573020)).hasValue(4242);
    }

    @Test
    void ignoresBlockedWaitersAndOtherInodes() {
        List<String> lines = List.of(
                "1: POSIX  ADVISORY  WRITE 4242 fd:01:99 0 EOF",
                "1: -> POSIX  ADVISORY  WRITE 5151 fd:01:1573020 0 EOF");
        assertThat(ProcLocks.holder(lines, DEV_253_1, 1573020)).isEmpty();
    }

    @Test
    void decodesLargeDeviceNumbersAsGlibcDoes() {
        long dev = ((259L & 0xfffL) << 8) | ((259L & ~0xfffL) << 32) | (70000L & 0xffL) | ((70000L & ~0xffL) << 12);
        assertThat(ProcLocks.major(dev)).isEqualTo(259);
        assertThat(ProcLocks.minor(dev)).isEqualTo(70000);
    }
}
