package io.archiveguardian.reserve;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The total size of a reserve: a byte size ({@code 20G}, {@code 512M}, {@code 1073741824}; units
 * K, M, G, T are binary, an optional {@code i}/{@code B} is accepted: {@code 20GiB}) or a
 * percentage of the filesystem's total size ({@code 5%}, {@code 0.5%}).
 */
public sealed interface ReserveSize permits ReserveSize.Bytes, ReserveSize.Percent {

    /** The size in bytes on a filesystem of the given total size. */
    long resolve(long filesystemTotalBytes);

    /** The text form, as accepted by {@link #parse}. */
    String text();

    /** A fixed number of bytes. */
    record Bytes(long bytes) implements ReserveSize {
        public Bytes {
            if (bytes <= 0) {
                throw new IllegalArgumentException("a reserve size must be positive, got " + bytes + " bytes");
            }
        }

        @Override
        public long resolve(long filesystemTotalBytes) {
            return bytes;
        }

        @Override
        public String text() {
            return Long.toString(bytes);
        }
    }

    /** A share of the filesystem's total size, more than 0 and at most 90 percent. */
    record Percent(double percent) implements ReserveSize {
        public Percent {
            if (!(percent > 0 && percent <= 90)) {
                throw new IllegalArgumentException("a reserve percentage must be more than 0% and at most 90%, got "
                        + percent + "%");
            }
        }

        @Override
        public long resolve(long filesystemTotalBytes) {
            return (long) Math.floor(filesystemTotalBytes * percent / 100.0);
        }

        @Override
        public String text() {
            return (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent)) + "%";
        }
    }

    Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?");

    /**
     * Parses {@code 20G}, {@code 512MiB}, {@code 1073741824} or {@code 5%}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static ReserveSize parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        Matcher percent = PERCENT.matcher(t);
        if (percent.matches()) {
            return new Percent(Double.parseDouble(percent.group(1)));
        }
        Matcher bytes = BYTES.matcher(t);
        if (bytes.matches()) {
            double value = Double.parseDouble(bytes.group(1));
            int shift = switch (bytes.group(2)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            return new Bytes((long) (value * (1L << shift)));
        }
        throw new IllegalArgumentException("'" + text + "' is not a reserve size. Give bytes with an optional "
                + "binary unit (20G, 512M, 1073741824) or a percentage of the filesystem (5%, 0.5%).");
    }

    /** Formats bytes for people: {@code 1.5 GiB}, {@code 512 MiB}, {@code 4096 B}. */
    static String human(long bytes) {
        long abs = Math.abs(bytes);
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (abs < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }
}
