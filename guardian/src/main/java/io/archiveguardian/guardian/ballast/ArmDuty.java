package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.facts.PassFacts;
import java.util.List;

/**
 * The arm step of the pass, after the recovery model sized the reserve: at most one tier per
 * reserve, as {@link ArmGate} allows ({@link BallastDuty#maybeArm}). Its cluster round, on a lane of
 * its own ({@code guardian-under-replication}), asks whether this broker has under-replicated
 * partitions; the pass reads only the cached answer, so the arm never waits on the cluster.
 */
public final class ArmDuty implements Duty {

    private final BallastDuty ballast;
    private final UnderReplication underReplication;

    public ArmDuty(BallastDuty ballast, UnderReplication underReplication) {
        this.ballast = ballast;
        this.underReplication = underReplication;
    }

    @Override
    public String name() {
        return "ballast-arm";
    }

    @Override
    public PassFacts onPass(PassFacts facts) {
        ballast.maybeArm(facts.brokerState(), facts.recommendedBallast(), underReplication.current());
        return facts;
    }

    @Override
    public String clusterLane() {
        return "under-replication";
    }

    @Override
    public List<StateChangeEvent> onClusterRound(PassFacts facts, ClusterSession session) {
        underReplication.refresh(session::admin);
        return List.of();
    }
}
