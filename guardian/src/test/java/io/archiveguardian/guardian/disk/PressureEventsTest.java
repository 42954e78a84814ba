package io.archiveguardian.guardian.disk;

import static io.archiveguardian.guardian.disk.PressureAssessorTest.GIB;
import static io.archiveguardian.guardian.disk.PressureAssessorTest.disk;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PressureEventsTest {

    private static final Instant T = Instant.parse("2026-11-22T06:30:00Z");

    private static PressureAssessment assess(double ratio, PressureLevel previous) {
        return PressureAssessor.assess(disk(100 * GIB, ratio), previous, PressureThresholds.DEFAULTS);
    }

    @Test
    void aLevelChangeBecomesAnEventWithPreviousStateStateAndTheReason() {
        var events = PressureEvents.changes(T, Map.of("disk:/data/1", assess(0.96, PressureLevel.HIGH),
                "disk:/data/2", assess(0.5, PressureLevel.OK)), Set.of());

        assertThat(events).containsExactly(new PressureChange(T, "disk:/data/1", "high", "critical",
                "used 96.0% >= critical 95.0% and usable 4 GiB < headroom 100 GiB"));
    }

    @Test
    void aFilesystemSeenForTheFirstTimeIsAnEventOnlyWhenItIsNotOk() {
        var events = PressureEvents.changes(T, Map.of("disk:/a", assess(0.5, PressureLevel.OK),
                "disk:/b", assess(0.86, PressureLevel.OK)), Set.of("disk:/a", "disk:/b"));

        assertThat(events).extracting(PressureChange::subject, PressureChange::previousState, PressureChange::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("disk:/b", "unknown", "warn"));
    }

    @Test
    void aDiskFlappingAtAThresholdYieldsOneEventEachWayNotOnePerSample() {
        PressureLevel level = PressureLevel.WARN;
        int events = 0;
        for (double ratio : new double[] {0.899, 0.901, 0.897, 0.903, 0.889, 0.900, 0.879, 0.899}) {
            PressureAssessment a = assess(ratio, level);
            events += PressureEvents.changes(T, Map.of("disk:/d", a), Set.of()).size();
            level = a.level();
        }
        assertThat(events).isEqualTo(2);
    }
}
