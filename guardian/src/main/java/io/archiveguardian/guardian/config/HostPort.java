package io.archiveguardian.guardian.config;

import org.apache.kafka.common.config.ConfigException;

/** A parsed HOST:PORT; port 0 means any free port. */
public record HostPort(String host, int port) {

    /** Parses {@code value} of config key or option {@code name}; bad input names both. */
    public static HostPort parse(String name, String value) {
        String example = "expected HOST:PORT, for example " + GuardianConfig.DEFAULT_HTTP_LISTEN;
        if (value == null) {
            throw new ConfigException(name, null, example);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(name, value, example);
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

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
