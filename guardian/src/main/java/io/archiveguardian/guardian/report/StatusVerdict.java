package io.archiveguardian.guardian.report;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.recovery.FilesystemGuard;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.text.Times;
import io.archiveguardian.guardian.watch.DiskWatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The status page's first line, in words: "Nothing to do: ..." when the broker runs, every disk is
 * below its thresholds, the next start fits and the cluster answers; otherwise what to look at,
 * most urgent first. Pure: built from one {@link StatusReport}.
 *
 * @param todo what needs a person, most urgent first; empty when nothing does
 * @param calm what was checked and is fine, for the "Nothing to do" line
 */
public record StatusVerdict(List<String> todo, String calm) {

    public StatusVerdict {
        todo = List.copyOf(todo);
    }

    public boolean nothingToDo() {
        return todo.isEmpty();
    }

    /** The one line: "Nothing to do: ..." or the first thing to do (and how many more). */
    public String line() {
        if (todo.isEmpty()) {
            return "Nothing to do: " + calm + ".";
        }
        return todo.get(0) + (todo.size() > 1 ? " (and " + (todo.size() - 1) + " more below)" : "");
    }

    public static StatusVerdict of(StatusReport report) {
        List<String> todo = new ArrayList<>();
        var o = report.observation();
        for (LogDirObservation d : o.logDirs()) {
            if (!d.online()) {
                todo.add("Log dir " + d.path() + " is offline: " + d.error() + ".");
            }
        }
        if (report.recovery() != null) {
            for (FilesystemGuard f : report.recovery().filesystems()) {
                if (f.headroomBytes() < 0) {
                    todo.add("The next broker start on " + f.mount() + " would not fit: " + Sizes.human(-f.headroomBytes())
                            + " short even with the ballast released (see Next broker start).");
                }
            }
        }
        if (report.watch() != null) {
            for (DiskWatch d : report.watch().disks()) {
                if (!"ok".equals(d.pressure().level())) {
                    todo.add("Disk " + d.mount() + " is at " + d.pressure().level() + ": " + d.pressure().reason() + ".");
                }
            }
        }
        BrokerState state = o.brokerState();
        switch (state) {
            case STOPPED_UNCLEAN -> todo.add("The broker stopped uncleanly: its next start recovers its logs; "
                    + "start it (prestart checks the space first).");
            case STOPPED_CLEAN -> todo.add("The broker is stopped (cleanly): start it when it should run.");
            case NOT_FORMATTED -> todo.add("The broker's log dir is not formatted (no meta.properties): "
                    + "format it (kafka-storage.sh format) or check log.dirs.");
            case UNKNOWN -> todo.add("The broker's state is unknown: check that the guardian can read its log dirs.");
            default -> {
            }
        }
        if (report.cluster() != null && Boolean.FALSE.equals(report.cluster().reachable())) {
            todo.add("The cluster does not answer"
                    + (report.cluster().since() == null ? "" : " since " + Times.local(report.cluster().since()))
                    + ": retention, drop candidates and the catch-up estimate wait for it.");
        }
        if (report.cordon() != null) {
            report.cordon().logDirs().stream().filter(c -> c.cordoned())
                    .forEach(c -> todo.add("Log dir " + c.logDir() + " is cordoned by " + c.cordonedBy() + ": " + c.reason() + "."));
        }
        long released = report.ballast().stream().mapToLong(ReserveView::releasedBytes).sum();
        if (released > 0) {
            todo.add(Sizes.human(released) + " of ballast released: it is re-armed when space comes back "
                    + "(or guardian ballast rearm).");
        }
        List<String> calm = new ArrayList<>();
        calm.add(state == BrokerState.RUNNING ? "the broker runs" : "");
        calm.add(report.watch() == null ? "" : "every disk is below its thresholds");
        calm.add(report.recovery() == null || report.recovery().filesystems().isEmpty() ? "" : "the next start fits");
        calm.add(report.cluster() == null ? "" : "the cluster answers");
        long armed = report.ballast().stream().mapToLong(ReserveView::armedBytes).sum();
        calm.add(armed > 0 ? Sizes.human(armed) + " of ballast armed" : "");
        List<String> said = calm.stream().filter(s -> !s.isEmpty()).toList();
        String text = said.isEmpty() ? "no problem seen"
                : said.size() == 1 ? said.get(0)
                : String.join(", ", said.subList(0, said.size() - 1)) + " and " + said.get(said.size() - 1);
        return new StatusVerdict(todo, text);
    }
}
