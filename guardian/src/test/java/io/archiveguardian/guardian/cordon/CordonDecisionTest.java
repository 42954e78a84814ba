package io.archiveguardian.guardian.cordon;

import static io.archiveguardian.guardian.disk.PressureLevel.CRITICAL;
import static io.archiveguardian.guardian.disk.PressureLevel.HIGH;
import static io.archiveguardian.guardian.disk.PressureLevel.OK;
import static io.archiveguardian.guardian.disk.PressureLevel.WARN;
import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.cordon.CordonStep.Kind;
import io.archiveguardian.guardian.disk.PressureLevel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CordonDecisionTest {

    private static final String A = "/data/a";
    private static final String B = "/data/b";

    private static CurrentCordons dynamic(String value) {
        return CurrentCordons.parse(value, CurrentCordons.DYNAMIC_BROKER);
    }

    private static Map<String, PressureLevel> levels(PressureLevel a, PressureLevel b) {
        Map<String, PressureLevel> m = new LinkedHashMap<>();
        m.put(A, a);
        m.put(B, b);
        return m;
    }

    private static List<Kind> kinds(List<CordonStep> steps) {
        return steps.stream().map(CordonStep::kind).toList();
    }

    @Test
    void aLogDirThatReachesTheCordonLevelIsCordonedAndTheOtherIsLeftAlone() {
        List<CordonStep> steps = CordonDecision.decide(levels(HIGH, OK), CurrentCordons.none(), Set.of(), HIGH);

        assertThat(kinds(steps)).containsExactly(Kind.ADD, Kind.NONE);
        assertThat(steps.get(0).reason()).isEqualTo("disk pressure high reached cordon.level high");
    }

    @Test
    void criticalIsAboveHighSoItIsCordonedTooButWarnIsNot() {
        assertThat(kinds(CordonDecision.decide(levels(CRITICAL, WARN), CurrentCordons.none(), Set.of(), HIGH)))
                .containsExactly(Kind.ADD, Kind.NONE);
        assertThat(kinds(CordonDecision.decide(levels(WARN, OK), CurrentCordons.none(), Set.of(), WARN)))
                .containsExactly(Kind.ADD, Kind.NONE);
    }

    @Test
    void theGuardiansCordonIsHeldThroughWarnAndLiftedOnlyBackAtOk() {
        assertThat(kinds(CordonDecision.decide(levels(WARN, OK), dynamic(A), Set.of(A), HIGH)))
                .containsExactly(Kind.NONE, Kind.NONE);
        List<CordonStep> atOk = CordonDecision.decide(levels(OK, OK), dynamic(A), Set.of(A), HIGH);
        assertThat(kinds(atOk)).containsExactly(Kind.REMOVE, Kind.NONE);
        assertThat(atOk.get(0).reason()).isEqualTo("disk pressure ok, below warn again");
    }

    @Test
    void aCordonSetByHandIsNeverLiftedEvenWhenThePressureIsGone() {
        List<CordonStep> steps = CordonDecision.decide(levels(OK, OK), dynamic(A + "," + B), Set.of(), HIGH);

        assertThat(kinds(steps)).containsExactly(Kind.NONE, Kind.NONE);
        assertThat(steps.get(0).reason()).contains("cordoned by hand, never undone by the guardian");
    }

    @Test
    void aDirAlreadyCordonedByHandIsNotClaimedWhenItReachesHigh() {
        List<CordonStep> steps = CordonDecision.decide(levels(HIGH, HIGH), dynamic(A), Set.of(), HIGH);

        assertThat(kinds(steps)).containsExactly(Kind.NONE, Kind.ADD);
        assertThat(steps.get(0).reason()).isEqualTo("disk pressure high; already cordoned by hand");
    }

    @Test
    void theWildcardCoversEveryDirSoNothingIsAddedAndItIsNeverOurs() {
        List<CordonStep> steps = CordonDecision.decide(levels(CRITICAL, OK), dynamic("*"), Set.of(), HIGH);

        assertThat(kinds(steps)).containsExactly(Kind.NONE, Kind.NONE);
        assertThat(steps.get(0).reason()).endsWith("already cordoned by hand (cordoned.log.dirs=*)");
    }

    @Test
    void anEntryOfOursThatSomebodyRemovedIsForgottenNotRemovedAgain() {
        List<CordonStep> steps = CordonDecision.decide(levels(OK, OK), dynamic("*"), Set.of(A), HIGH);

        assertThat(kinds(steps)).containsExactly(Kind.FORGET, Kind.NONE);
    }

    @Test
    void anEntryOfOursRemovedByHandWhileTheDiskIsStillHighIsAddedAgain() {
        assertThat(kinds(CordonDecision.decide(levels(HIGH, OK), CurrentCordons.none(), Set.of(A), HIGH)))
                .containsExactly(Kind.ADD, Kind.NONE);
    }

    @Test
    void anUnknownLevelChangesNothing() {
        assertThat(kinds(CordonDecision.decide(levels(null, null), dynamic(A), Set.of(A), HIGH)))
                .containsExactly(Kind.NONE, Kind.NONE);
    }

    @Test
    void entriesAreComparedAsPathsSoATrailingSlashInLogDirsStillMatches() {
        assertThat(kinds(CordonDecision.decide(levels(OK, OK), dynamic(A + "/"), Set.of(A), HIGH)))
                .containsExactly(Kind.REMOVE, Kind.NONE);
    }
}
