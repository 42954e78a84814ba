package io.archiveguardian.guardian.cordon;

import java.time.Instant;

/**
 * One log dir of this broker in the cordon report.
 *
 * @param cordoned   whether the broker's {@code cordoned.log.dirs} covers it (by name or {@code *})
 * @param cordonedBy {@code guardian} (the sidecar added it and will remove it), {@code operator}
 *                   (anyone else: never undone by the guardian), or null when not cordoned
 * @param since      when the guardian cordoned it (only for {@code guardian})
 * @param pressure   its filesystem's pressure level in the pass that was acted on
 * @param action     what the last run did: {@code cordoned}, {@code uncordoned}, {@code forgot} or {@code none}
 * @param reason     for the guardian's own cordon why it was set; otherwise what the last run made of it
 */
public record LogDirCordon(String logDir, boolean cordoned, String cordonedBy, Instant since, String pressure,
                           String action, String reason) {

    public static final String GUARDIAN = "guardian";
    public static final String OPERATOR = "operator";
}
