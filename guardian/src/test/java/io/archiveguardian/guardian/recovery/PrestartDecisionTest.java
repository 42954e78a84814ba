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

    /** Local recovery 20, catch-up 60 from {@code source}, start-up 10, margin 10: 100 in all. */
    static RecoveryNeed withCatchUp(CatchUp.Source source) {
        return new RecoveryNeed("/data", true, 20, 60, source, 10, 10, 100, List.of());
    }

    @Test
    void aCatchUpEstimateTheClusterDidNotConfirmNeverBlocksAStartOnItsOwn() {
        // 30 usable + 20 of ballast = 50 < 100, but the 40 that is known fits after one tier
        PrestartDecision d = PrestartDecision.decide(false, 30, withCatchUp(CatchUp.Source.ESTIMATE), List.of(20L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.RELEASE);
        assertThat(d.outcome().exitCode()).isZero();
        assertThat(d.tiersToRelease()).isEqualTo(1);
        assertThat(d.coveredBytes()).isEqualTo(40);
        assertThat(d.reason()).startsWith("releasing 1 of 1 ballast tiers covers the need without the catch-up estimate of 60 B")
                .contains("which the cluster did not confirm");
        PrestartDecision enough = PrestartDecision.decide(false, 45, withCatchUp(CatchUp.Source.ESTIMATE), List.of(20L));
        assertThat(enough.outcome()).isEqualTo(PrestartDecision.Outcome.ENOUGH);
        assertThat(enough.tiersToRelease()).isZero();
    }

    @Test
    void anEstimateThatFitsIsStillCoveredInFull() {
        PrestartDecision d = PrestartDecision.decide(false, 30, withCatchUp(CatchUp.Source.ESTIMATE), List.of(40L, 40L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.RELEASE);
        assertThat(d.tiersToRelease()).isEqualTo(2);
        assertThat(d.coveredBytes()).isEqualTo(100);
    }

    @Test
    void aCatchUpTheClusterConfirmedBlocksWhenItDoesNotFit() {
        PrestartDecision d = PrestartDecision.decide(false, 30, withCatchUp(CatchUp.Source.ADMIN), List.of(20L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.DISK_FULL);
        assertThat(d.shortfallBytes()).isEqualTo(50);
        assertThat(d.coveredBytes()).isEqualTo(100);
    }

    @Test
    void whatIsKnownStillBlocksWhenEvenThatDoesNotFit() {
        PrestartDecision d = PrestartDecision.decide(false, 10, withCatchUp(CatchUp.Source.ESTIMATE), List.of(20L));
        assertThat(d.outcome()).isEqualTo(PrestartDecision.Outcome.DISK_FULL);
        assertThat(d.shortfallBytes()).isEqualTo(10);
        assertThat(d.reason()).startsWith("even all ballast leaves the need without the catch-up estimate");
    }
}
