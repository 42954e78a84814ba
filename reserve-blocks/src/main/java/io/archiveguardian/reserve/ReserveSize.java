package io.archiveguardian.reserve;

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

    /**
     * Parses {@code 20G}, {@code 1.5G}, {@code 512MiB}, {@code 1073741824} (the syntax of
     * {@link ByteSizes#parse}) or {@code 5%}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms (also on overflow)
     */
    static ReserveSize parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher percent = PERCENT.matcher(t);
        if (percent.matches()) {
            return new Percent(Double.parseDouble(percent.group(1)));
        }
        try {
            return new Bytes(ByteSizes.parse(t));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("too large")) {
                throw e;
            }
            throw new IllegalArgumentException("'" + text + "' is not a reserve size. Give " + ByteSizes.ACCEPTED
                    + ", or a percentage of the filesystem (5%, 0.5%).");
        }
    }
}
