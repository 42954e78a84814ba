package io.archiveguardian.guardian.recovery;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.text.Sizes;
import java.util.Locale;
import java.util.Optional;

/** The text of {@code guardian prestart}, written for the operator reading the journal at 3 a.m. */
public final class PrestartText {

    private PrestartText() {
    }

    public static String render(GuardReport r, boolean dryRun, double seconds) {
        return render(r, dryRun, seconds, false);
    }

    /**
     * As {@link #render}, for a run whose facts were incomplete (an unreadable reserve, a corrupt
     * growth record): the closing line leaves the outcome to {@code prestart.on.error}.
     */
    public static String renderUndecided(GuardReport r, boolean dryRun, double seconds) {
        return render(r, dryRun, seconds, true);
    }

    private static String render(GuardReport r, boolean dryRun, double seconds, boolean undecided) {
        StringBuilder s = new StringBuilder();
        s.append("guardian prestart: the broker is ").append(r.brokerState())
                .append(r.brokerState().recoveryPending() ? " (the next start recovers its logs)" : "").append('\n');
        for (FilesystemGuard f : r.filesystems()) {
            s.append(String.format(Locale.ROOT, "%s: usable %s, ballast armed %s in %d tiers; log dirs %s%n", f.mount(),
                    Sizes.human(f.usableBytes()), Sizes.human(f.armedBallastBytes()), f.armedTierBytes().size(),
                    String.join(", ", f.logDirs())));
            s.append("  the next start needs ").append(Sizes.human(f.need().totalBytes()))
                    .append(f.need().estimated() && f.need().catchUpBytes() > 0 ? " (catch-up estimated)" : "").append(":\n");
            f.need().explanation().forEach(line -> s.append("    ").append(line).append('\n'));
            s.append("  ").append(decision(f, r, dryRun)).append('\n');
        }
        s.append(undecided ? "Prestart lacks facts it needs (see PROBLEM below); prestart.on.error decides."
                : switch (r.exitCode()) {
            case ExitCodes.OK -> "The broker may start.";
            case ExitCodes.CHECK_FAILED -> r.brokerState() == BrokerState.UNKNOWN
                    ? "The broker's state is UNKNOWN: it may be running. Do not start a second one; find out which "
                    + "process holds the log dir (docs/runbook-unclean-exit-loop.md). Nothing was changed."
                    : "The broker is running: prestart belongs before it starts. Nothing was changed.";
            default -> "DO NOT START THE BROKER: it would fill the disk and halt again.";
        }).append(String.format(Locale.ROOT, " (%.2f s)%n", seconds));
        return s.toString();
    }

    private static String decision(FilesystemGuard f, GuardReport r, boolean dryRun) {
        PrestartDecision d = f.decision();
        return switch (d.outcome()) {
            case BROKER_RUNNING, BROKER_UNKNOWN -> "not assessed for release: " + d.reason();
            case ENOUGH -> "ok: " + d.reason() + " (headroom " + Sizes.human(f.usableBytes() - d.coveredBytes()) + ")";
            case RELEASE -> (dryRun ? "would release " : "released ")
                    + r.released().stream().filter(x -> x.mount().equals(f.mount())).findFirst()
                    .map(x -> "tiers " + x.tiers() + " (" + Sizes.human(x.bytes()) + ")")
                    .orElse(d.tiersToRelease() + " tiers (" + Sizes.human(d.releaseBytes()) + ")")
                    + ": " + d.reason();
            case DISK_FULL -> "SHORT BY " + Sizes.human(d.shortfallBytes()) + ": " + d.reason()
                    + ". Nothing was released or deleted.";
        };
    }

    /** What to do when even all ballast is not enough. */
    public static String diskFullHint(GuardReport r, Optional<String> dropPlan) {
        return diskFullHint(r, dropPlan, Optional.empty(), "");
    }

    /**
     * What to do when even all ballast is not enough: the drop plan (both effects counted) and the
     * one command that carries it out, or, when the safe replicas do not suffice, that plainly.
     *
     * @param dropPlan    the plan's text, when the cluster could be asked
     * @param dropCommand the command that carries out exactly that plan (empty when the plan does not suffice)
     * @param options     the options prestart was given, repeated in any command printed
     */
    public static String diskFullHint(GuardReport r, Optional<String> dropPlan, Optional<String> dropCommand, String options) {
        StringBuilder s = new StringBuilder("\nNext step: the start is short by ").append(Sizes.human(r.shortfallBytes()))
                .append(". Add disk, or drop replicas whose data lives on other brokers.\n");
        if (dropPlan.isPresent()) {
            s.append("The replicas that are safe to drop, planned against this start's need (nothing has been changed):\n")
                    .append(dropPlan.get());
            if (dropCommand.isPresent()) {
                s.append("Carry it out (stop here if the plan is not what you want), then run prestart again:\n  ")
                        .append(dropCommand.get()).append("   (add --execute to carry it out)\n");
            } else {
                s.append("No drop command is printed: the safe replicas cannot make this start fit.\n");
            }
        } else {
            s.append("The cluster could not be asked for a drop plan now. When it answers, run prestart again for a plan that "
                    + "counts what a drop saves at the start; or free the shortfall on disk with:\n");
            for (FilesystemGuard f : r.filesystems()) {
                if (f.decision().shortfallBytes() > 0) {
                    s.append(String.format(Locale.ROOT, "  guardian drop%s --logdir %s --need %dB --purge   (add --execute to carry it out;"
                            + " --purge deletes the local copies, no undo)%n", options.isBlank() ? "" : " " + options.trim(),
                            f.logDirs().get(0), f.decision().shortfallBytes()));
                }
            }
        }
        s.append("See docs/runbook-unclean-exit-loop.md.\n");
        return s.toString();
    }
}
