package io.archiveguardian.guardian.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

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

    /** A parsed HOST:PORT. */
    public record HostPort(String host, int port) {

        static HostPort parse(String name, String value) {
            if (value == null) {
                throw new ConfigException(name, null, "expected HOST:PORT, for example 127.0.0.1:9797");
            }
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new ConfigException(name, value, "expected HOST:PORT, for example 127.0.0.1:9797");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(name, value, "the port must be a number from 0 to 65535");
            }
            if (port < 0 || port > 65535) {
                throw new ConfigException(name, value, "the port must be from 0 to 65535");
            }
            return new HostPort(host, port);
        }
    }
}
