package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import java.net.URISyntaxException;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code log.format}: log4j starts with log4j2.xml (text lines); {@code json} switches to
 * log4j2-json.xml (the same loggers and levels, {@code JsonTemplateLayout}) once the guardian's
 * configuration has been read, before the sidecar logs anything.
 */
final class LogFormat {

    static final String JSON_CONFIG = "/log4j2-json.xml";

    private LogFormat() {
    }

    static void apply(GuardianSettings settings) {
        if ("json".equals(settings.config().getString(GuardianConfig.LOG_FORMAT))) {
            try {
                Configurator.reconfigure(LogFormat.class.getResource(JSON_CONFIG).toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("the packaged " + JSON_CONFIG + " has no valid URI", e);
            }
        }
    }
}
