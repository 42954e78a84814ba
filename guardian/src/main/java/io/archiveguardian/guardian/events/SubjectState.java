package io.archiveguardian.guardian.events;

/** The state of one subject in one pass, with the evidence in words. */
public record SubjectState(String state, String detail) {
}
