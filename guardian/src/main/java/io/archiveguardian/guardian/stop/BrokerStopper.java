package io.archiveguardian.guardian.stop;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.BrokerStateProbe;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.text.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops the broker cleanly and confirms it: SIGTERM to the process holding {@code .lock} when its pid
 * is visible (the broker's controlled shutdown writes {@code .kafka_cleanshutdown} in every log dir),
 * else the configured {@code broker.stop.command}; then waits until no log dir is locked and reads
 * the marker. Never kills: a broker that does not end in time is reported, not forced.
 */
final class BrokerStopper {

    /** {@code outcome}: clean, unclean or failed. */
    record Outcome(String outcome, String method, long pid, Duration took, String detail) {
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final BrokerStateProbe probe;
    private final List<Path> logDirs;

    BrokerStopper(BrokerStateProbe probe, List<Path> logDirs) {
        this.probe = probe;
        this.logDirs = List.copyOf(logDirs);
    }

    Outcome stop(long pid, String command, Duration timeout) {
        long start = System.nanoTime();
        String method;
        if (pid == ProcessHandle.current().pid()) {
            return new Outcome("failed", "none", pid, since(start), "the .lock holder is the guardian's own process, "
                    + "not a broker");
        }
        if (pid > 0) {
            method = "SIGTERM to pid " + pid;
            Optional<ProcessHandle> broker = ProcessHandle.of(pid);
            if (broker.isPresent() && !broker.get().destroy()) {
                return new Outcome("failed", method, pid, since(start), "the signal could not be sent (permissions?)");
            }
        } else if (!command.isBlank()) {
            method = "broker.stop.command: " + command;
            Optional<String> failure = run(command, timeout);
            if (failure.isPresent()) {
                return new Outcome("failed", method, pid, since(start), failure.get());
            }
        } else {
            return new Outcome("failed", "none", pid, since(start), "the .lock holder's pid is not visible from here "
                    + "(another PID namespace) and broker.stop.command is empty: set broker.stop.command, or share the "
                    + "broker's PID namespace");
        }
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<LogDirBrokerState> states = logDirs.stream().map(probe::probe).toList();
            BrokerState now = BrokerState.combine(states.stream().map(LogDirBrokerState::state).toList());
            if (now != BrokerState.RUNNING && now != BrokerState.UNKNOWN) {
                boolean marked = logDirs.stream().allMatch(d -> Files.exists(d.resolve(BrokerStateProbe.CLEAN_SHUTDOWN_FILE)));
                return new Outcome(marked ? "clean" : "unclean", method, pid, since(start), marked
                        ? BrokerStateProbe.CLEAN_SHUTDOWN_FILE + " written in every log dir: the next start needs no log recovery"
                        : "the broker ended without " + BrokerStateProbe.CLEAN_SHUTDOWN_FILE + " in every log dir: its next start recovers");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome("failed", method, pid, since(start), "interrupted while waiting for the broker to end");
            }
        }
        return new Outcome("failed", method, pid, since(start), "the broker did not end within stop.timeout.ms ("
                + Durations.human(timeout) + "); it was not killed");
    }

    /** Runs the stop command; empty when it exited 0 within the timeout, else why not. */
    private static Optional<String> run(String command, Duration timeout) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.of("the stop command did not finish within stop.timeout.ms");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("the stop command exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + tail(out)));
        } catch (IOException e) {
            return Optional.of("the stop command could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while the stop command ran");
        }
    }

    private static String tail(String out) {
        return out.length() <= 300 ? out : "..." + out.substring(out.length() - 300);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
