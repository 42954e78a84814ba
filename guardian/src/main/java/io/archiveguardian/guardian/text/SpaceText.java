package io.archiveguardian.guardian.text;

import java.util.Locale;

/**
 * The one way the guardian says how full a filesystem is, in every text (guardian status,
 * ballast status, ballast release, the status page): each figure with what it is next to it.
 * The definitions are statvfs's and df's, the same as the JSON fields and the metrics:
 * <ul>
 *   <li><b>usable</b>: f_bavail × f_frsize, what the broker (not root) may still write; df's Avail;
 *       armed ballast is not in it (its blocks are taken).</li>
 *   <li><b>free</b>: f_bfree × f_frsize, usable plus the blocks reserved for root.</li>
 *   <li><b>used</b>: total − free, as a share of used + usable (df's Use%); ballast counts as used.</li>
 * </ul>
 */
public final class SpaceText {

    /** The words that follow each figure. */
    public static final String USED_WORDS = "df Use%, ballast counted as used";
    public static final String USABLE_WORDS = "statvfs f_bavail: what the broker may still write";
    public static final String FREE_WORDS = "f_bfree: usable plus root-reserved blocks";

    private SpaceText() {
    }

    /** df's Use%: used / (used + usable), 0..1; used is total − free. */
    public static double usedRatio(long totalBytes, long freeBytes, long usableBytes) {
        long used = totalBytes - freeBytes;
        long denominator = used + usableBytes;
        return denominator <= 0 ? 0.0 : (double) used / denominator;
    }

    /**
     * "used 23.6% of 252 GiB (df Use%, ballast counted as used); usable 77.5 GiB (statvfs f_bavail:
     * what the broker may still write); free 228 GiB (f_bfree: usable plus root-reserved blocks)".
     */
    public static String line(long totalBytes, long freeBytes, long usableBytes) {
        return String.format(Locale.ROOT, "used %.1f%% of %s (%s); usable %s (%s); free %s (%s)",
                100 * usedRatio(totalBytes, freeBytes, usableBytes), Sizes.human(totalBytes), USED_WORDS,
                Sizes.human(usableBytes), USABLE_WORDS, Sizes.human(freeBytes), FREE_WORDS);
    }

    /**
     * A change of usable space with the precision to see it, and what the figure is: "usable
     * 77.50 GiB → 77.52 GiB (+16 MiB; statvfs f_bavail: what the broker may still write)". Both figures get as many decimals as it takes for them to differ when they do.
     */
    public static String change(String what, long beforeBytes, long afterBytes, String words) {
        long delta = afterBytes - beforeBytes;
        int decimals = 2;
        String[] f = fixed(beforeBytes, afterBytes, decimals);
        while (delta != 0 && f[0].equals(f[1]) && decimals < 6) {
            f = fixed(beforeBytes, afterBytes, ++decimals);
        }
        String before = f[0];
        String after = f[1];
        return what + " " + before + " → " + after + " (" + (delta >= 0 ? "+" : "−") + Sizes.human(Math.abs(delta))
                + (words.isEmpty() ? "" : "; " + words) + ")";
    }

    /** Both sizes in the unit of the larger, with {@code decimals} decimals. */
    private static String[] fixed(long a, long b, int decimals) {
        long larger = Math.max(Math.abs(a), Math.abs(b));
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int unit = 0;
        double scale = 1;
        while (unit < units.length - 1 && larger >= scale * 1024) {
            scale *= 1024;
            unit++;
        }
        if (unit == 0) {
            return new String[] {a + " B", b + " B"};
        }
        String format = "%." + decimals + "f %s";
        return new String[] {String.format(Locale.ROOT, format, a / scale, units[unit]),
                String.format(Locale.ROOT, format, b / scale, units[unit])};
    }
}
