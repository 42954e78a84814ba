package io.archiveguardian.guardian.stop;

import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.text.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stop duty's part of the status report ({@code stop} in {@code /api/v1/status}): whether it is
 * on, what the last guard tick decided and why, the shutdown time it plans with, and the last stop.
 */
public record StopReport(boolean enabled, Instant decidedAt, String action, String detail, double shutdownSeconds,
                         String shutdownSecondsSource, StopRecord lastStop) implements StatusPart {

    @Override
    public String statusKey() {
        return "stop";
    }

    @Override
    public List<String> statusLines() {
        List<String> lines = new ArrayList<>();
        lines.add(enabled ? "Clean stop before a full disk: on (stop.enabled=true)"
                : "Clean stop before a full disk: off (stop.enabled=false)");
        lines.add(String.format(Locale.ROOT, "Last check: %s: %s", action.toLowerCase(Locale.ROOT), detail));
        lines.add("A clean shutdown takes " + Durations.human(shutdownSeconds) + " (" + shutdownSecondsSource + ")");
        if (lastStop != null) {
            lines.add("Last stop: " + lastStop.time() + ", " + lastStop.outcome() + " (" + lastStop.reason() + "), "
                    + lastStop.method() + ", " + Durations.human(lastStop.seconds()) + ": " + lastStop.detail());
        }
        return lines;
    }
}
