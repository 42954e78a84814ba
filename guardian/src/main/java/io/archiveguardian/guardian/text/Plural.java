package io.archiveguardian.guardian.text;

/** Counts in words: "1 broker", "2 brokers", "0 brokers". */
public final class Plural {

    private Plural() {
    }

    /** {@code n} and the noun, with an s unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
