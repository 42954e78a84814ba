package io.archiveguardian.guardian.config;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka's config providers (KIP-297, KIP-421) in a properties file the guardian reads: the file
 * declares {@code config.providers=file,dir,env} and {@code config.providers.file.class=
 * org.apache.kafka.common.config.provider.FileConfigProvider} (DirectoryConfigProvider,
 * EnvVarConfigProvider, or any provider on the class path), and any value may then be
 * {@code ${file:/etc/secret/admin.properties:sasl.jaas.config}}, {@code ${dir:/etc/secret:token}} or
 * {@code ${env:NAME}}, exactly as in a broker's server.properties. Kafka's own
 * {@link AbstractConfig} does the resolution; the providers are the ones the file itself declares
 * (so Kafka's {@code org.apache.kafka.automatic.config.providers} system property, which guards
 * configs that arrive from clients, does not apply to the operator's own files).
 */
public final class ConfigProviders {

    /** The key naming the providers, and the prefix of their own settings. */
    public static final String KEY = AbstractConfig.CONFIG_PROVIDERS_CONFIG;

    private ConfigProviders() {
    }

    /** Whether {@code key} declares or configures a provider (not a setting of the guardian). */
    public static boolean isProviderKey(String key) {
        return key.equals(KEY) || key.startsWith(KEY + ".");
    }

    /** The provider declarations among {@code values}. */
    public static Map<String, Object> providerProperties(Map<String, ?> values) {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (isProviderKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The values with every {@code ${provider:path:key}} reference resolved by the providers the
     * values declare; the provider declarations themselves are left out. A provider that cannot
     * read its source (a missing secret file) is an {@link InvalidConfigException} naming the source.
     */
    public static Map<String, String> resolve(Map<String, ?> values, String source) {
        Map<String, Object> providers = providerProperties(values);
        Map<String, String> out = new HashMap<>();
        if (providers.isEmpty()) {
            values.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
            return out;
        }
        Map<String, Object> resolved;
        try {
            resolved = new ResolvingConfig(values, providers).originals();
        } catch (ConfigException e) {
            throw new InvalidConfigException(source + ": a config provider failed: " + e.getMessage()
                    + ". Check config.providers and that the referenced secret file or variable exists and is readable.", e);
        }
        resolved.forEach((k, v) -> {
            if (!isProviderKey(k)) {
                out.put(k, v == null ? null : String.valueOf(v));
            }
        });
        return out;
    }

    /** Kafka's resolution, with no keys of its own. */
    private static final class ResolvingConfig extends AbstractConfig {
        ResolvingConfig(Map<String, ?> values, Map<String, Object> providers) {
            super(new ConfigDef(), values, providers, false);
        }
    }
}
