package io.archiveguardian.guardian.drop.exec;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The mapper of the drop's on-disk state (trash {@code manifest.json}, drop marker): Java record
 * names, the format older versions wrote and a newer one must still read. State, not output:
 * everything the operator is shown goes through {@code json.Json} (snake_case).
 */
final class StateFiles {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private StateFiles() {
    }
}
