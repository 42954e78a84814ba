package io.archiveguardian.guardian.replicas;

import io.archiveguardian.guardian.text.Sizes;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators type them: bytes, or a whole number with K, M, G or T (powers of 1024). */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** @throws IllegalArgumentException naming the value and the accepted forms */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: give bytes (20000000000) or a whole "
                    + "number with K, M, G or T (powers of 1024), for example 20G");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /** A short human form: 1536 -> "1.5 KiB" (the guardian's one formatter, {@link Sizes#human}). */
    public static String format(long bytes) {
        return Sizes.human(bytes);
    }
}
