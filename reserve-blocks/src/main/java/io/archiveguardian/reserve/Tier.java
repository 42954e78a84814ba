package io.archiveguardian.reserve;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One tier of a reserve, as the manifest records it and status reports it.
 *
 * @param index       1-based tier number; release frees the lowest-numbered armed tiers first
 * @param sizeBytes   the tier's planned size
 * @param state       armed, released, or arming (an arm in progress or interrupted)
 * @param method      how its blocks were allocated when last armed (null if never armed)
 * @param verified    the filesystem's free space dropped by the tier's size when it was armed
 * @param armedAt     when it was last armed (ISO-8601), or null
 * @param releasedAt  when it was last released (ISO-8601), or null
 * @param lastTrigger what caused the last change
 * @param note        a remark for people (why an arm failed, what a recovery did), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tier(
        int index,
        long sizeBytes,
        TierState state,
        AllocationMethod method,
        boolean verified,
        String armedAt,
        String releasedAt,
        Trigger lastTrigger,
        String note) {

    static Tier planned(int index, long sizeBytes) {
        return new Tier(index, sizeBytes, TierState.RELEASED, null, false, null, null, null, "planned, not armed yet");
    }

    Tier withState(TierState newState, Trigger trigger, String newNote) {
        return new Tier(index, sizeBytes, newState, method, newState == TierState.ARMED && verified, armedAt,
                releasedAt, trigger, newNote);
    }

    Tier armed(AllocationMethod how, boolean isVerified, String time, Trigger trigger, String newNote) {
        return new Tier(index, sizeBytes, TierState.ARMED, how, isVerified, time, releasedAt, trigger, newNote);
    }

    Tier released(String time, Trigger trigger, String newNote) {
        return new Tier(index, sizeBytes, TierState.RELEASED, method, false, armedAt, time, trigger, newNote);
    }

    Tier resized(long newSize) {
        return new Tier(index, newSize, state, method, verified, armedAt, releasedAt, lastTrigger, note);
    }

    Tier arming(long newSize, Trigger trigger) {
        return new Tier(index, newSize, TierState.ARMING, null, false, armedAt, releasedAt, trigger, null);
    }
}
