package io.archiveguardian.guardian.logdir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SegmentsTest {

    private final Segments segments = Segments.of(new long[] {200, 0, 100}, new long[] {30, 10, 20});

    @Test
    void segmentsAreOrderedByBaseOffsetAndTheLastIsActive() {
        assertThat(segments.baseOffset(0)).isZero();
        assertThat(segments.logBytes(2)).isEqualTo(30);
        assertThat(segments.activeBaseOffset()).hasValue(200);
        assertThat(segments.totalLogBytes()).isEqualTo(60);
    }

    @Test
    void recoveryFromAnOffsetStartsAtTheSegmentThatContainsIt() {
        assertThat(segments.countFrom(0)).isEqualTo(3);
        assertThat(segments.countFrom(150)).isEqualTo(2);
        assertThat(segments.logBytesFrom(150)).isEqualTo(50);
        assertThat(segments.logBytesFrom(200)).isEqualTo(30);
        assertThat(segments.logBytesFrom(10_000)).isEqualTo(30);
    }

    @Test
    void anEmptyPartitionHasNothingToRecover() {
        assertThat(Segments.NONE.countFrom(0)).isZero();
        assertThat(Segments.NONE.logBytesFrom(0)).isZero();
        assertThat(Segments.NONE.activeBaseOffset()).isEmpty();
    }
}
