package io.archiveguardian.guardian.retention;

/**
 * A state change of one archive topic, for the sidecar's event stream ({@code time}, {@code host}
 * and {@code broker} are added by the sidecar).
 *
 * @param subject        {@code retention:<topic>}
 * @param previousState  a {@link TopicStatus} name ({@code DRIFT}), or {@code null} at the first sight
 *                       (as the sidecar's other events)
 * @param state          a {@link TopicStatus} name
 * @param detail         what the values were and what they are now
 */
public record RetentionEvent(String subject, String previousState, String state, String detail) {

    public static String subject(String topic) {
        return "retention:" + topic;
    }
}
