package io.archiveguardian.guardian.recovery;

/**
 * What a restarted follower will fetch, and how that was learned.
 *
 * @param bytes  log bytes the leaders hold that the local log lacks
 * @param source {@code ADMIN}: leaders' replica sizes from describeLogDirs; {@code ESTIMATE}: the
 *               measured write rate times the time the broker has been down; {@code NONE}: unknown
 * @param detail how the number was reached, for the operator
 */
public record CatchUp(long bytes, Source source, String detail) {

    public enum Source { ADMIN, ESTIMATE, NONE }

    public static CatchUp none(String why) {
        return new CatchUp(0, Source.NONE, why);
    }
}
