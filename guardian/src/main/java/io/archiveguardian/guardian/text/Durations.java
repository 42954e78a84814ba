package io.archiveguardian.guardian.text;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations for people, the one way every text message prints them: a span that was measured or
 * computed (time to full, time down, age) with {@link #human}, as the two largest units, e.g.
 * "3d 4h", "2h 5m", "45s"; a configured duration (a timeout, a window, an outage) with
 * {@link #exact}, in its largest exact unit as an option takes it: "2h", "90m", "1500ms". Read (CLI
 * options) as a whole number with a unit, never bare: {@code 1500ms}, {@code 30s}, {@code 90m},
 * {@code 2h}, {@code 7d}. Configuration keys keep Kafka's form: milliseconds in {@code *.ms} keys.
 * JSON keeps its own forms ({@code *_seconds} numbers, ISO-8601).
 */
public final class Durations {

    /** What {@link #parse} accepts, for messages and --help. */
    public static final String ACCEPTED = "a whole number with a unit ms, s, m, h or d (1500ms, 30s, 90m, 2h, 7d)";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** A measured span, rounded up to whole seconds: "3d 4h", "2h 5m", "4m 10s", "45s". */
    public static String human(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes > 0 ? minutes + "m " + s % 60 + "s" : s + "s";
    }

    /** {@link #human(double)} of a {@link Duration}. */
    public static String human(Duration d) {
        return human(d.toMillis() / 1000.0);
    }

    /**
     * The duration in its largest exact unit, as {@link #parse} reads it back: {@code 2h},
     * {@code 90m}, {@code 1500ms}.
     */
    public static String exact(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms != 0 && ms % 1_000L == 0 ? ms / 1_000L + "s" : ms + "ms";
    }

    /** For a bare number: the same number in minutes, when that is a duration at all. */
    private static String bareNumberHint(String t) {
        if (!t.matches("\\d+")) {
            return "";
        }
        try {
            Math.multiplyExact(Long.parseLong(t), 60_000L);
            return " (a bare number has no unit: write " + t + "m for minutes)";
        } catch (ArithmeticException | NumberFormatException e) {
            return "";
        }
    }

    /**
     * Parses {@code 2h}, {@code 90m}, {@code 30s}, {@code 1500ms}, {@code 7d}.
     *
     * @throws IllegalArgumentException naming the text and what is accepted: a bare number, a
     *         negative or fractional number, an unknown unit, or more than {@code Long.MAX_VALUE} ms
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            if (t.matches("-\\d.*")) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: a duration cannot be negative; give "
                        + ACCEPTED);
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration: give " + ACCEPTED + bareNumberHint(t));
        }
        long millisPerUnit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        try {
            return Duration.ofMillis(Math.multiplyExact(Long.parseLong(m.group(1)), millisPerUnit));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration: at most "
                    + (Long.MAX_VALUE / millisPerUnit) + m.group(2));
        }
    }
}
