package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;

/** Thrown by commands whose capability has not landed yet (exit code 1). */
final class NotYetImplemented extends GuardianException {

    NotYetImplemented(String command) {
        super(ExitCodes.FAILED, "'guardian " + command + "' is not yet implemented in this version.");
    }
}
