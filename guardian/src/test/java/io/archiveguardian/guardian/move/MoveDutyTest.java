package io.archiveguardian.guardian.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.disk.FilesystemUsage;
import io.archiveguardian.guardian.duty.ClusterSession;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.observe.FilesystemObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duty around the decision: what it does when it must not or cannot ask the cluster. No broker needed. */
class MoveDutyTest {

    static final long MIB = 1024L * 1024L;
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path tmp;

    private MoveDuty duty(Path a, Path b) {
        GuardianConfig config = GuardianConfig.of(Map.of(GuardianConfig.LOG_DIRS, a + "," + b, GuardianConfig.NODE_ID, "1",
                GuardianConfig.STATE_DIR, tmp.resolve("state").toString()));
        MoveDuty duty = new MoveDuty(SettingsResolver.resolve(config), Clock.fixed(NOW, java.time.ZoneOffset.UTC), Map::of);
        duty.bindTo(new SimpleMeterRegistry());
        return duty;
    }

    /** Facts of a pass: each log dir on the filesystem named in {@code mounts}, 1 GiB with 100 MiB usable. */
    private static PassFacts facts(BrokerState state, Map<String, List<String>> mounts) {
        List<FilesystemObservation> fs = mounts.entrySet().stream().map(e -> new FilesystemObservation(
                new FilesystemUsage(e.getKey(), "/dev/x", "ext4", 1024 * MIB, 100 * MIB, 100 * MIB, -1, -1), e.getValue())).toList();
        return PassFacts.of(new Observation(NOW, "host", 1, state, List.of(), fs, 0.1));
    }

    private static GuardTick tick(BrokerState state, Path... dirs) {
        Map<String, LogDirBrokerState> states = new java.util.LinkedHashMap<>();
        for (Path d : dirs) {
            states.put(d.toString(), new LogDirBrokerState(d.toString(), state, -1, "test"));
        }
        return new GuardTick(NOW, state, state, states);
    }

    /** A session that must not be asked (the test fails if it is) or that has no cluster. */
    private static ClusterSession session(boolean mustNotBeAsked, String problem) {
        return new ClusterSession() {
            @Override
            public Optional<Admin> admin() {
                if (mustNotBeAsked) {
                    throw new AssertionError("the cluster was asked");
                }
                return Optional.empty();
            }

            @Override
            public String problem() {
                return problem;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(1);
            }
        };
    }

    @Test
    void aClusterThatCannotBeAskedMakesTheRoundWaitAndNothingIsThrown() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        MoveDuty duty = duty(a, b);
        duty.onGuardTick(tick(BrokerState.RUNNING, a, b), null);
        duty.onClusterRound(facts(BrokerState.RUNNING, Map.of("/m1", List.of(a.toString()), "/m2", List.of(b.toString()))),
                session(false, "cluster unavailable: no resolvable bootstrap urls"));
        MoveReport r = duty.latest().orElseThrow();
        assertThat(r.state()).isEqualTo("waiting");
        assertThat(r.detail()).isEqualTo("the cluster cannot be asked (cluster unavailable: no resolvable bootstrap urls): "
                + "replicas are moved only on its answer");
        assertThat(duty.subjectStates().get("replica-move").state()).isEqualTo("WAITING");
    }

    @Test
    void aBrokerThatIsNotRunningOrHasOneFilesystemIsNeverAskedAbout() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        MoveDuty duty = duty(a, b);
        duty.onGuardTick(tick(BrokerState.STOPPED_UNCLEAN, a, b), null);
        duty.onClusterRound(facts(BrokerState.STOPPED_UNCLEAN, Map.of("/m1", List.of(a.toString()), "/m2", List.of(b.toString()))),
                session(true, ""));
        assertThat(duty.latest().orElseThrow().detail()).isEqualTo("the broker is STOPPED_UNCLEAN: replicas are moved only while it runs");

        duty.onGuardTick(tick(BrokerState.RUNNING, a, b), null);
        duty.onClusterRound(facts(BrokerState.RUNNING, Map.of("/m1", List.of(a.toString(), b.toString()))), session(true, ""));
        MoveReport r = duty.latest().orElseThrow();
        assertThat(r.state()).isEqualTo("idle");
        assertThat(r.detail()).isEqualTo("every log dir of the broker is on /m1: no other filesystem to move replicas to "
                + "(this step is for JBOD)");
        assertThat(r.statusLines().get(0)).isEqualTo("Replica moves between the broker's log dirs (JBOD): on "
                + "(move.enabled=true), budget 10 GiB, copy throttle not read yet");
    }
}
