package io.archiveguardian.guardian.ballast;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.archiveguardian.guardian.text.Sizes;
import io.archiveguardian.guardian.text.SpaceText;
import io.archiveguardian.guardian.text.Times;
import io.archiveguardian.reserve.LastAction;
import io.archiveguardian.reserve.ReserveStatus;
import io.archiveguardian.reserve.Tier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One filesystem's reserve as the CLI ({@code --output json}) and the HTTP API show it: plain
 * strings and numbers, lower-case states.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReserveView(
        String logDir,
        List<String> logDirs,
        String filesystem,
        long filesystemTotalBytes,
        long filesystemUsableBytes,
        long filesystemFreeBytes,
        String reserveDir,
        String layout,
        String state,
        int tiersArmed,
        int tiersPlanned,
        long armedBytes,
        long releasedBytes,
        boolean verified,
        List<TierView> tiers,
        LastActionView lastAction,
        List<String> foreignFiles,
        List<String> notes) {

    /** One tier. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TierView(int index, String file, long sizeBytes, String state, String method, boolean verified,
                           String armedAt, String releasedAt, String lastTrigger, String note) {
    }

    /** The last change. */
    public record LastActionView(String time, String action, String trigger, List<Integer> tiers, long bytes,
                                 String reason, String user, long pid) {

        /** What was done and why, for people: "armed by hand (guardian demo)", "released after an unclean shutdown". */
        public String inWords() {
            String done = switch (String.valueOf(action)) {
                case "arm" -> "armed";
                case "rearm", "re-arm" -> "re-armed";
                case "release" -> "released";
                default -> action;
            };
            String why = switch (String.valueOf(trigger)) {
                case "manual" -> "by hand" + (user == null || user.isBlank() ? "" : " (" + user + ")");
                case "prestart" -> "by prestart, before the broker started";
                case "unclean-shutdown" -> "after an unclean shutdown";
                case "critical-pressure" -> "at critical disk pressure";
                case "space-available" -> "as space came back";
                case "recovery" -> "while the guardian repaired its state";
                case "null" -> "";
                default -> "on " + trigger;
            };
            return done + (why.isEmpty() ? "" : " " + why);
        }
    }

    public static ReserveView of(FilesystemReserve fs, ReserveStatus status) {
        List<TierView> tiers = new ArrayList<>();
        for (Tier t : status.tiers()) {
            tiers.add(new TierView(t.index(), status.location().tierFile(t.index()).toString(), t.sizeBytes(),
                    lower(t.state().name()), t.method() == null ? null : lower(t.method().name()), t.verified(),
                    t.armedAt(), t.releasedAt(), t.lastTrigger() == null ? null : t.lastTrigger().label(), t.note()));
        }
        LastActionView last = status.lastAction().map(ReserveView::last).orElse(null);
        return new ReserveView(fs.logDir().toString(), fs.logDirs().stream().map(Path::toString).toList(),
                fs.filesystem(), status.space().totalBytes(), status.space().usableBytes(), status.space().unallocatedBytes(),
                status.location().directory().toString(), status.location().layout().label(), lower(status.state().name()),
                status.armedTiers(), status.tiers().size(), status.armedBytes(), status.releasedBytes(), status.verified(),
                tiers, last, status.foreignFiles().stream().map(Path::toString).toList(), status.notes());
    }

    private static LastActionView last(LastAction a) {
        return new LastActionView(a.time(), a.action(), a.trigger() == null ? null : a.trigger().label(), a.tiers(),
                a.bytes(), a.reason(), a.user(), a.pid());
    }

    /** The text block of {@code guardian ballast status}. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("Log dir ").append(logDir);
        if (logDirs.size() > 1) {
            out.append(" (with ").append(String.join(", ", logDirs.subList(1, logDirs.size()))).append(')');
        }
        out.append('\n');
        out.append("  filesystem  ").append(filesystem).append('\n');
        out.append("  space       ").append(SpaceText.line(filesystemTotalBytes, filesystemFreeBytes, filesystemUsableBytes))
                .append('\n');
        out.append("  reserve     ").append(reserveDir).append(" (").append(layout).append(")\n");
        if (tiers.isEmpty()) {
            out.append("  state       absent: no ballast armed (guardian ballast arm)\n");
        } else {
            out.append("  state       ").append(state).append(": ").append(tiersArmed).append(" of ").append(tiersPlanned)
                    .append(" tiers armed, ").append(Sizes.human(armedBytes)).append(" armed, ")
                    .append(Sizes.human(releasedBytes)).append(" released, ")
                    .append(verified ? "verified" : "NOT VERIFIED (free space did not drop by the tier size)").append('\n');
            out.append("  tiers       ").append(tiers.stream()
                    .map(t -> "#" + t.index() + " " + t.state() + " " + Sizes.human(t.sizeBytes()))
                    .collect(Collectors.joining(" | "))).append('\n');
        }
        if (lastAction != null) {
            out.append("  last        ").append(lastAction.action()).append(" of tier")
                    .append(lastAction.tiers().size() == 1 ? " " : "s ")
                    .append(lastAction.tiers().stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .append(" (").append(Sizes.human(lastAction.bytes())).append("), trigger ")
                    .append(lastAction.trigger()).append(", by ").append(lastAction.user()).append(" pid ")
                    .append(lastAction.pid()).append(" at ").append(Times.local(lastAction.time())).append(": ")
                    .append(lastAction.reason()).append('\n');
        }
        for (TierView t : tiers) {
            if (t.note() != null && (!"armed".equals(t.state()) || !t.verified())) {
                out.append("  note        tier ").append(t.index()).append(": ").append(t.note()).append('\n');
            }
        }
        for (String f : foreignFiles) {
            out.append("  warning     ").append(f).append(" was not created by the guardian; it is left alone\n");
        }
        for (String n : notes) {
            out.append("  note        ").append(n).append('\n');
        }
        return out.toString();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
