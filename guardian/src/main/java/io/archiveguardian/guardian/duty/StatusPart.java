package io.archiveguardian.guardian.duty;

import java.util.List;

/**
 * A duty's part of {@code /api/v1/status}: the record itself is the JSON under {@link #statusKey()}
 * (its components, snake_case) and {@link #statusLines()} are its lines in {@code guardian status}
 * and on the status page. The report knows the parts of the duties it was written with; any other
 * part (a new duty's) is shown through these two methods alone.
 */
public interface StatusPart {

    /** The key in the status JSON, snake_case. */
    String statusKey();

    /** The part in a few plain lines; empty when the page and the text show it in a form of their own. */
    default List<String> statusLines() {
        return List.of();
    }
}
