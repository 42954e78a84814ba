package io.archiveguardian.guardian.config;

import org.apache.kafka.common.config.ConfigDef;

/** Accepts HOST:PORT with a port from 0 to 65535 (0 picks a free port). */
final class HostPortValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        HostPort.parse(name, (String) value);
    }

    @Override
    public String toString() {
        return "HOST:PORT, port 0-65535";
    }
}
