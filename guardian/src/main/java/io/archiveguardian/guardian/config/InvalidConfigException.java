package io.archiveguardian.guardian.config;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;

/** Bad configuration: the message names the key, the value and what is allowed. Exit code 2. */
public class InvalidConfigException extends GuardianException {

    public InvalidConfigException(String message) {
        super(ExitCodes.USAGE, message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(ExitCodes.USAGE, message, cause);
    }
}
