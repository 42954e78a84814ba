package io.archiveguardian.reserve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The last change made to a reserve: what, why, by whom.
 *
 * @param time    ISO-8601 instant
 * @param action  arm, release, rearm, remove, recover
 * @param trigger what caused it
 * @param tiers   the tiers it changed
 * @param bytes   the bytes armed or released
 * @param reason  the free-text reason given by the caller
 * @param user    the operating-system user of the process
 * @param pid     the process id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastAction(String time, String action, Trigger trigger, List<Integer> tiers, long bytes,
                         String reason, String user, long pid) {

    public LastAction {
        tiers = List.copyOf(tiers);
    }
}
