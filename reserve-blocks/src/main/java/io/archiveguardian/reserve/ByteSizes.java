package io.archiveguardian.reserve;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size syntax and the one size format of the product (the guardian delegates here).
 *
 * <p>Accepted: a number of bytes ({@code 20000000000}, {@code 20000000000B}) or a number, decimals
 * allowed, with a binary unit K, M, G, T or P ({@code 1.5G}, {@code 512M}, {@code 512MiB},
 * {@code 20GB}; all powers of 1024). The result is rounded down to whole bytes; more than
 * {@link Long#MAX_VALUE} bytes is refused. Printed as {@code 4096 B}, {@code 512 MiB},
 * {@code 1.5 GiB}: one decimal, none when it is zero.
 */
public final class ByteSizes {

    /** What {@link #parse} accepts, for messages. */
    public static final String ACCEPTED = "bytes (20000000000 or 20000000000B) or a number with a binary unit "
            + "K, M, G, T or P, decimals allowed (512M, 1.5G, 20GiB)";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:([KMGTP])(?:I?B)?|B)?");
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSizes() {
    }

    /** @throws IllegalArgumentException naming the text and what is accepted (also on overflow) */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: give " + ACCEPTED);
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 50;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift))
                .setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large a size: at most " + Long.MAX_VALUE
                    + " bytes (" + human(Long.MAX_VALUE) + ")");
        }
        return bytes.longValueExact();
    }

    /** {@code 4096 B}, {@code 512 MiB}, {@code 1.5 GiB}; a negative value prints as {@code unknown}. */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        double value = bytes / (double) (1L << (10 * unit));
        String number = String.format(Locale.ROOT, "%.1f", value);
        if (number.endsWith(".0")) {
            number = number.substring(0, number.length() - 2);
        }
        if ("1024".equals(number) && unit < UNITS.length - 1) {
            return "1 " + UNITS[unit + 1];
        }
        return number + " " + UNITS[unit];
    }
}
