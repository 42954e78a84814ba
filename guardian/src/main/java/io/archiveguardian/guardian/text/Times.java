package io.archiveguardian.guardian.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Points in time for people: this host's local time to the second, with its zone
 * ("2026-12-05 16:10:03 UTC"); JSON keeps ISO-8601 instants.
 */
public final class Times {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private Times() {
    }

    /** {@code at} in {@code zone}, to the second; "" for null. */
    public static String local(Instant at, ZoneId zone) {
        return at == null ? "" : LOCAL.format(at.atZone(zone));
    }

    /** {@code at} in this host's zone, to the second; "" for null. */
    public static String local(Instant at) {
        return local(at, ZoneId.systemDefault());
    }

    /** An ISO-8601 instant as written in a record or file, in local time; anything else as it is. */
    public static String local(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return local(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
