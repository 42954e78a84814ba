package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrestartDecisionTest {

    static RecoveryNeed need(long bytes) {
        return new RecoveryNeed("/data", true, bytes, 0, CatchUp.Source.NONE, 0, 0, bytes, List.of());
    }

    @Test
    void aRunningBrokerIsRefusedWithExit3() {
        PrestartDecision d = PrestartDecision.decide(true, 0, need(100), List.of(50L, 50L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.BROKER_RUNNING);
        assertThat(d.outcome().exitCode()).isEqualTo(3);
        assertThat(d.tiersToRelease()).isZero();
    }

    @Test
    void enoughUsableSpaceReleasesNothing() {
        PrestartDecision d = PrestartDecision.decide(false, 100, need(100), List.of(50L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.ENOUGH);
        assertThat(d.tiersToRelease()).isZero();
        assertThat(d.headroomBytes()).isEqualTo(50);
    }

    @Test
    void releasesOnlyTheTiersNeededInOrder() {
        PrestartDecision d = PrestartDecision.decide(false, 40, need(100), List.of(20L, 40L, 100L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.RELEASE);
        assertThat(d.tiersToRelease()).isEqualTo(2);
        assertThat(d.releaseBytes()).isEqualTo(60);
    }

    @Test
    void whenAllBallastIsNotEnoughNothingIsReleasedAndTheShortfallIsReported() {
        PrestartDecision d = PrestartDecision.decide(false, 10, need(100), List.of(20L, 30L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.DISK_FULL);
        assertThat(d.outcome().exitCode()).isEqualTo(10);
        assertThat(d.tiersToRelease()).isZero();
        assertThat(d.shortfallBytes()).isEqualTo(40);
    }
}
