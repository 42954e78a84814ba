package io.archiveguardian.reserve;

import java.util.Locale;

/**
 * The caller's safety rule for arming one tier: given the filesystem's numbers now and the tier's
 * size, may the tier be armed? Arming ballast must never push a disk into pressure.
 */
@FunctionalInterface
public interface ArmPolicy {

    Verdict check(FilesystemSpace space, long tierBytes);

    /** The answer, with an explanation for people (shown when arming is refused). */
    record Verdict(boolean allowed, String explanation) {
        public static Verdict allow(String explanation) {
            return new Verdict(true, explanation);
        }

        public static Verdict deny(String explanation) {
            return new Verdict(false, explanation);
        }
    }

    /**
     * Allows a tier only when the filesystem's used share after arming stays at or below
     * {@code maxUsedPercent} (the high watermark), so that a re-arm cannot start disk pressure.
     */
    static ArmPolicy maxUsedPercentAfter(double maxUsedPercent) {
        return (space, tierBytes) -> {
            if (tierBytes > space.usableBytes()) {
                return Verdict.deny("the tier needs " + ByteSizes.human(tierBytes) + " but only "
                        + ByteSizes.human(space.usableBytes()) + " are free");
            }
            double after = space.usedPercentWith(tierBytes); // df's Use%, as the pressure levels count it
            String numbers = String.format(Locale.ROOT, "used would be %.1f%% after arming %s (limit %.1f%%)",
                    after, ByteSizes.human(tierBytes), maxUsedPercent);
            return after <= maxUsedPercent ? Verdict.allow(numbers) : Verdict.deny(numbers);
        };
    }

    /** Allows every tier; the filesystem itself still refuses with ENOSPC when space runs out. */
    static ArmPolicy unconditional() {
        return (space, tierBytes) -> Verdict.allow("no safety rule");
    }
}
