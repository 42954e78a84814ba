package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.observe.Observer;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop plan for the next start plans for what blocks that start: a catch-up estimate the
 * cluster did not confirm never blocks a start on its own ({@link PrestartDecision}), so the plan's
 * shortfall is the decision's, not the estimate's. A real 128 MiB ext4, an unclean log dir, and a
 * growth record of 4 MiB/s for a minute down (240 MiB estimated).
 */
class DropEffectsEstimateTest {

    static final long MIB = 1024 * 1024;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @TempDir
    Path tmp;

    @Test
    void whenTheStartFitsWithoutTheUnconfirmedEstimateTheDropPlanHasNothingToCover() throws Exception {
        Priced p = priced(Map.of());

        assertThat(p.guard().need().catchUpSource()).isEqualTo(CatchUp.Source.ESTIMATE);
        assertThat(p.guard().need().catchUpBytes()).isGreaterThan(200 * MIB);
        assertThat(p.guard().decision().outcome()).as("prestart exits 0").isNotEqualTo(PrestartDecision.Outcome.DISK_FULL);
        assertThat(p.effects().shortfallBytes()).as("no drop is needed for a start prestart allows").isZero();
        assertThat(p.effects().shortfallBytes(Set.of(), Map.of())).isZero();
    }

    @Test
    void whenTheStartIsShortWithoutTheEstimateTheDropPlanCoversExactlyPrestartsShortfall() throws Exception {
        // a margin of 10 x the need: what is known without the estimate does not fit either
        Priced p = priced(Map.of("recovery.margin.ratio", "10"));

        assertThat(p.guard().decision().outcome()).isEqualTo(PrestartDecision.Outcome.DISK_FULL);
        assertThat(p.guard().decision().reason()).contains("without the catch-up estimate");
        assertThat(p.effects().shortfallBytes()).isEqualTo(p.guard().decision().shortfallBytes()).isPositive();
        assertThat(p.effects().shortfallBytes(Set.of(), Map.of())).isEqualTo(p.guard().decision().shortfallBytes());
    }

    record Priced(FilesystemGuard guard, DropEffects effects) {
    }

    private Priced priced(Map<String, String> extra) throws IOException {
        Path logDir = uncleanLogDir();
        Path state = tmp.resolve("state");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(),
                new GrowthRecord.LogDir(4.0 * MIB, Instant.now().minusSeconds(60)))).write(state);
        Map<String, String> props = new java.util.HashMap<>(Map.of(GuardianConfig.LOG_DIRS, logDir.toString(),
                GuardianConfig.STATE_DIR, state.toString(), "recovery.margin.min.bytes", Long.toString(4 * MIB)));
        props.putAll(extra);
        GuardianSettings settings = SettingsResolver.resolve(GuardianConfig.of(props));
        Clock clock = Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC); // both priced at one moment: the estimate grows with time
        Observation o = new Observer(settings, clock).observe();
        GuardRunner runner = new GuardRunner(settings, clock);
        RecoveryGuard.CatchUpSource catchUp = runner.catchUp(o, Optional.empty(), "no cluster in this test");
        List<FilesystemGuard> guards = RecoveryGuard.assess(o, List.of(), catchUp, clock.instant(),
                fs -> RecoveryParameters.of(settings, fs.usage()), false);
        assertThat(guards).hasSize(1);
        return new Priced(guards.get(0), runner.dropEffects(o, List.of(), catchUp, false));
    }

    /** A formatted log dir after a kill -9: meta.properties and .lock, no clean-shutdown marker. */
    private Path uncleanLogDir() throws IOException {
        return UncleanLogDir.create(disk.root(), 2 * (int) MIB);
    }
}
