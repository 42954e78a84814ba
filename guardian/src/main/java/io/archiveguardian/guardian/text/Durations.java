package io.archiveguardian.guardian.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations for people, the one way every text message prints them: a span, measured or
 * configured (time to full, time down, age, a window, a timeout), with {@link #human}, as its two
 * largest units: "3 d 4 h", "2 h 30 min", "5 min", "45 s". Only where the operator types the value
 * back (the range of an option in its refusal) {@link #exact}, as an option takes it: "2h", "90m",
 * "1500ms". Read (CLI options) as a whole number with a unit, never bare: {@code 1500ms},
 * {@code 30s}, {@code 90m}, {@code 2h}, {@code 7d}. Configuration keys keep Kafka's form:
 * milliseconds in {@code *.ms} keys. JSON: numbers with the unit in the key ({@code *_seconds},
 * {@code *_ms}).
 */
public final class Durations {

    /** What {@link #parse} accepts, for messages and --help. */
    public static final String ACCEPTED = "a whole number with a unit ms, s, m, h or d (1500ms, 30s, 90m, 2h, 7d)";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * A span for people, rounded up to whole seconds, its two largest units, a zero second unit
     * left out: "3 d 4 h", "2 h 30 min", "5 min", "4 min 10 s", "45 s".
     */
    public static String human(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        if (days > 0) {
            return days + " d" + (hours > 0 ? " " + hours + " h" : "");
        }
        if (hours > 0) {
            return hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        return minutes > 0 ? minutes + " min" + (s % 60 > 0 ? " " + s % 60 + " s" : "") : s + " s";
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

    /**
     * For a bare number: what it could have meant, as durations within {@code min..max} only (a hint
     * is advice, so it must be taken): minutes, or milliseconds as the {@code *.ms} keys write them.
     */
    private static String bareNumberHint(String t, Duration min, Duration max) {
        if (!t.matches("\\d+")) {
            return "";
        }
        List<String> hints = new ArrayList<>();
        try {
            long n = Long.parseLong(t);
            Duration minutes = Duration.ofMillis(Math.multiplyExact(n, 60_000L));
            if (minutes.compareTo(min) >= 0 && minutes.compareTo(max) <= 0) {
                hints.add("write " + t + "m for minutes");
            }
            Duration millis = Duration.ofMillis(n);
            if (n > 0 && millis.compareTo(min) >= 0 && millis.compareTo(max) <= 0) {
                hints.add("write " + exact(millis) + " for " + t + " milliseconds");
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // no hint: the number is no duration at all
        }
        return hints.isEmpty() ? "" : " (a bare number has no unit: " + String.join(", or ", hints) + ")";
    }

    /**
     * Parses {@code 2h}, {@code 90m}, {@code 30s}, {@code 1500ms}, {@code 7d}.
     *
     * @throws IllegalArgumentException naming the text and what is accepted: a bare number, a
     *         negative or fractional number, an unknown unit, or more than {@code Long.MAX_VALUE} ms
     */
    public static Duration parse(String text) {
        return parse(text, Duration.ZERO, Duration.ofMillis(Long.MAX_VALUE));
    }

    /**
     * As {@link #parse(String)}, for an option that takes {@code min..max}: a refusal's hint names
     * only durations in that range (the range itself is the caller's to check and say).
     */
    public static Duration parse(String text, Duration min, Duration max) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            if (t.matches("-\\d.*")) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: a duration cannot be negative; give "
                        + ACCEPTED);
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration: give " + ACCEPTED + bareNumberHint(t, min, max));
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
