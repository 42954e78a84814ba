package io.archiveguardian.guardian.stop;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.duty.Daemons;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.SubjectState;
import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.GuardTick;
import io.archiveguardian.guardian.facts.PassFacts;
import io.archiveguardian.guardian.text.Durations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last steps of the pressure ladder for a running broker, on the guard thread's cadence: every
 * tick it reads each filesystem's usable space (statvfs, no scan), keeps the recent write rate, and
 * decides with {@link BrinkDecision}. A RELEASE gives one ballast tier back through the ballast
 * duty's one entrance; a STOP runs on its own thread ({@code guardian-stop}), so the guard keeps
 * ticking: a tier first where the shutdown itself lacks room, then SIGTERM to the broker (or
 * {@code broker.stop.command}), a wait for it to end and the check of {@code .kafka_cleanshutdown}.
 * Each stop is written to {@code <state.dir>/stops.jsonl}, counted in
 * {@code guardian_broker_stops_total{reason,outcome}} and raised as the {@code broker-stop} event.
 */
public final class StopDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(StopDuty.class);

    private final GuardianSettings settings;
    private final Clock clock;
    private final BallastDuty ballast;
    private final BrokerStopper stopper;
    private final Path stateDir;
    private final Map<String, UsageRate> rates = new HashMap<>();
    /** Per mount, since the broker started again: the need assessed for that start, and usable before it. */
    private final Map<String, long[]> startBudgets = new HashMap<>();
    /** Per mount, usable space at the last tick that saw the broker down. */
    private final Map<String, Long> lastDownUsable = new HashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Daemons.named("guardian-stop"));
    private volatile MeterRegistry registry = new SimpleMeterRegistry();
    private volatile Future<?> stopping;
    private volatile StopRecord lastStop;
    private volatile BrinkDecision.Decision lastDecision = new BrinkDecision.Decision(BrinkDecision.Action.NONE, null,
            List.of(), List.of(), "no guard tick yet");
    private volatile Instant decidedAt;
    private volatile Map<String, String> brinkMounts = Map.of();

    public StopDuty(GuardianSettings settings, Clock clock, BallastDuty ballast) {
        this.settings = settings;
        this.clock = clock;
        this.ballast = ballast;
        this.stopper = new BrokerStopper(BrokerStateProbe.forBroker(settings.brokerProperties(),
                settings.config().getString(io.archiveguardian.guardian.config.GuardianConfig.BROKER_ADDRESS)), settings.logDirs());
        this.stateDir = Path.of(settings.config().getString(GuardianConfig.STATE_DIR));
        List<StopRecord> history = StopRecord.readAll(stateDir);
        this.lastStop = history.isEmpty() ? null : history.get(history.size() - 1);
    }

    @Override
    public String name() {
        return "stop";
    }

    /** Every reason × outcome at 0, so that Prometheus sees the first stop as an increase. */
    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (BrinkDecision.Reason reason : BrinkDecision.Reason.values()) {
            for (String outcome : List.of("clean", "unclean", "failed")) {
                stops(reason.label(), outcome);
            }
        }
    }

    private Counter stops(String reason, String outcome) {
        return Counter.builder("guardian.broker.stops")
                .description("Clean stops the guardian made because the broker's disk was about to fill, by reason "
                        + "(time-to-full, min-usable) and outcome (clean: .kafka_cleanshutdown in every log dir; unclean; "
                        + "failed: no stop could be sent or the broker did not end within stop.timeout.ms).")
                .tags("reason", reason, "outcome", outcome).register(registry);
    }

    @Override
    public boolean onGuardTick(GuardTick tick, PassFacts last) {
        if (last == null) {
            return false;
        }
        Instant now = clock.instant();
        Duration window = Duration.ofMillis(settings.config().getLong(GuardianConfig.STOP_RATE_WINDOW_MS));
        // Ballast being armed takes usable space too: that is not the broker writing, so no rate then.
        boolean arming = ballast.armedWithin(window);
        boolean down = isDown(tick.now());
        boolean starting = tick.before() != null && isDown(tick.before()) && !down;
        if (down) {
            startBudgets.clear();
        }
        List<BrinkDecision.Disk> disks = new ArrayList<>();
        for (DiskFacts d : last.diskList()) {
            OptionalLong usable = usable(d);
            if (down) {
                usable.ifPresent(u -> lastDownUsable.put(d.mount(), u));
            } else if (starting && d.needBytes() != null && lastDownUsable.containsKey(d.mount())) {
                // The start's budget: the need assessed while the broker was down, counted from the
                // usable space of the last tick before it started (its releases included).
                startBudgets.put(d.mount(), new long[] {d.needBytes(), lastDownUsable.get(d.mount())});
            }
            UsageRate rate = rates.computeIfAbsent(d.mount(), m -> new UsageRate(window));
            usable.ifPresent(u -> rate.add(now, u));
            disks.add(new BrinkDecision.Disk(d.mount(), d.logDirs(), usable,
                    usable.isPresent() && !arming ? rate.bytesPerSecond() : OptionalDouble.empty(), d.armedBallastBytes(),
                    d.largestArmedTierBytes(), d.cleanStartNeedBytes() == null ? OptionalLong.empty()
                    : OptionalLong.of(d.cleanStartNeedBytes()), budgetLeft(d.mount(), usable)));
        }
        rates.keySet().retainAll(last.disks().keySet());
        lastDownUsable.keySet().retainAll(last.disks().keySet());
        Future<?> running = stopping;
        BrinkDecision.Facts facts = new BrinkDecision.Facts(
                settings.config().getBoolean(GuardianConfig.STOP_ENABLED), tick.now(), disks, shutdownTime(),
                Duration.ofMillis(settings.config().getLong(GuardianConfig.STOP_MARGIN_MS)),
                settings.config().getLong(GuardianConfig.STOP_MIN_USABLE_BYTES), now,
                lastStop == null ? null : lastStop.time(),
                Duration.ofMillis(settings.config().getLong(GuardianConfig.STOP_COOLDOWN_MS)),
                running != null && !running.isDone(), offlineLogDirs(tick));
        BrinkDecision.Decision decision = BrinkDecision.decide(facts);
        brinkMounts = tick.now() == BrokerState.RUNNING ? BrinkDecision.brink(facts) : Map.of();
        lastDecision = decision;
        decidedAt = now;
        switch (decision.action()) {
            case RELEASE -> {
                decision.mounts().forEach(m -> releaseOne(last, m, "at the brink: " + decision.detail()));
                return true;
            }
            case STOP -> {
                LOG.error("{}; the broker's first exit is to be clean, not a halt on a full disk", decision.detail());
                long pid = tick.logDirs().values().stream().mapToLong(LogDirBrokerState::lockHolderPid).max().orElse(-1);
                stopping = executor.submit(() -> stop(decision, last, pid));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * The log dirs of a running broker whose lock it no longer holds: Kafka releases the lock of a log
     * dir it takes offline after an I/O error (LogManager.handleLogDirFailure) and goes on with the
     * others. An unreadable dir (UNKNOWN) is not counted as offline: nothing is concluded from a failed read.
     */
    static Set<String> offlineLogDirs(GuardTick tick) {
        if (tick.now() != BrokerState.RUNNING) {
            return Set.of();
        }
        Set<String> offline = new HashSet<>();
        tick.logDirs().forEach((dir, state) -> {
            if (state.state() != BrokerState.RUNNING && state.state() != BrokerState.UNKNOWN) {
                offline.add(dir);
            }
        });
        return offline;
    }

    /**
     * The filesystems at the brink at the last guard tick (mount → why), the same test the stop makes;
     * empty while the broker is not running. For the move step, which never moves a replica onto one.
     */
    public Map<String, String> brinkMounts() {
        return brinkMounts;
    }

    private static boolean isDown(BrokerState state) {
        return state == BrokerState.STOPPED_UNCLEAN || state == BrokerState.STOPPED_CLEAN;
    }

    /** What is left of the start's assessed need: the need less what the disk lost since the start. */
    private OptionalLong budgetLeft(String mount, OptionalLong usable) {
        long[] budget = startBudgets.get(mount);
        if (budget == null || usable.isEmpty()) {
            return OptionalLong.empty();
        }
        long left = budget[0] - Math.max(0, budget[1] - usable.getAsLong());
        if (left <= 0) {
            startBudgets.remove(mount); // spent: from now on the write rate is the broker's own
            return OptionalLong.empty();
        }
        return OptionalLong.of(left);
    }

    /** statvfs of the filesystem under the first log dir; empty when it cannot be read. */
    private static OptionalLong usable(DiskFacts d) {
        if (d.logDirs().isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.getFileStore(Path.of(d.logDirs().get(0))).getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private void releaseOne(PassFacts facts, String mount, String reason) {
        facts.disk(mount).filter(d -> !d.logDirs().isEmpty()).ifPresent(d -> ballast.releaseOneTier(d, reason).ifPresentOrElse(
                why -> LOG.error("disk {}: no ballast tier could be released: {}", mount, why),
                () -> LOG.warn("disk {}: released one ballast tier ({})", mount, reason)));
    }

    private void stop(BrinkDecision.Decision decision, PassFacts facts, long pid) {
        decision.releaseFirst().forEach(m -> releaseOne(facts, m, "room for the broker's clean shutdown"));
        BrokerStopper.Outcome o = stopper.stop(pid, settings.config().getString(GuardianConfig.BROKER_STOP_COMMAND),
                Duration.ofMillis(settings.config().getLong(GuardianConfig.STOP_TIMEOUT_MS)));
        StopRecord record = new StopRecord(clock.instant(), settings.hostName(), facts.observation().nodeId(),
                decision.reason().label(), o.outcome(), o.method(), o.pid(), o.took().toMillis() / 1000.0,
                decision.detail() + "; " + o.detail());
        lastStop = record;
        stops(record.reason(), record.outcome()).increment();
        if ("clean".equals(o.outcome())) {
            LOG.warn("stopped the broker cleanly in {} ({}): {}", Durations.human(record.seconds()), o.method(), o.detail());
        } else {
            LOG.error("the broker stop {} ({}): {}", o.outcome(), o.method(), o.detail());
        }
        try {
            record.append(stateDir);
        } catch (IOException e) {
            LOG.warn("cannot write {} in {}: {}; the cooldown holds only until the sidecar restarts",
                    StopRecord.FILE, stateDir, e.toString());
        }
    }

    /** The last clean stop's measured time, else stop.shutdown.time.ms. */
    private Duration shutdownTime() {
        StopRecord s = lastStop;
        if (s != null && "clean".equals(s.outcome()) && s.seconds() > 0) {
            return Duration.ofMillis((long) (s.seconds() * 1000));
        }
        return Duration.ofMillis(settings.config().getLong(GuardianConfig.STOP_SHUTDOWN_TIME_MS));
    }

    @Override
    public Map<String, SubjectState> subjectStates() {
        StopRecord s = lastStop;
        Future<?> running = stopping;
        if (running != null && !running.isDone()) {
            return Map.of("broker-stop", new SubjectState("STOPPING", lastDecision.detail()));
        }
        if (s == null) {
            return Map.of("broker-stop", new SubjectState("NONE", "the guardian has not stopped this broker"));
        }
        return Map.of("broker-stop", new SubjectState("STOPPED_" + s.outcome().toUpperCase(java.util.Locale.ROOT),
                s.time() + ", " + s.method() + ", " + Durations.human(s.seconds()) + ": " + s.detail()));
    }

    @Override
    public Optional<StatusPart> statusPart() {
        StopRecord s = lastStop;
        boolean learned = s != null && "clean".equals(s.outcome()) && s.seconds() > 0;
        return Optional.of(new StopReport(settings.config().getBoolean(GuardianConfig.STOP_ENABLED), decidedAt,
                lastDecision.action().name(), lastDecision.detail(), shutdownTime().toMillis() / 1000.0,
                learned ? "measured at the last stop" : GuardianConfig.STOP_SHUTDOWN_TIME_MS, s));
    }

    /** Lets a stop in progress finish its wait (bounded by stop.timeout.ms) only until the sidecar goes. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
