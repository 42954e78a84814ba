package io.archiveguardian.guardian.text;

/** Durations for people: the two largest units, e.g. "3d 4h", "2h 5m", "45s". */
public final class Durations {

    private Durations() {
    }

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
}
