package io.archiveguardian.guardian.cordon;

/**
 * What the cordon duty does about one log dir in one pass, and why, in words.
 *
 * <ul>
 *   <li>{@code ADD}: append it to {@code cordoned.log.dirs} and record it as the guardian's own;</li>
 *   <li>{@code REMOVE}: subtract the guardian's own entry again;</li>
 *   <li>{@code FORGET}: drop the record only (someone else already removed or replaced the entry);</li>
 *   <li>{@code NONE}: leave it as it is.</li>
 * </ul>
 */
public record CordonStep(String logDir, Kind kind, String reason) {

    public enum Kind { ADD, REMOVE, FORGET, NONE }
}
