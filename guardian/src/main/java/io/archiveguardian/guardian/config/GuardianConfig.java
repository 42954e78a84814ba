package io.archiveguardian.guardian.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The guardian's own configuration: every key declared once here, with type, default, validator
 * and documentation. {@code docs/configuration.md} is generated from {@link #DEFINITION}
 * ({@link ConfigDocs}); a test fails when it is stale.
 *
 * <p>Keys are grouped by capability, one {@code define*} method each.
 */
public final class GuardianConfig extends AbstractConfig {

    // --- kafka: where the broker and the cluster are
    public static final String BROKER_CONFIG = "broker.config";
    public static final String LOG_DIRS = "log.dirs";
    public static final String NODE_ID = "node.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String COMMAND_CONFIG = "command.config";
    public static final String ADMIN_TIMEOUT_MS = "admin.timeout.ms";

    // --- sidecar: the loop and its HTTP server
    public static final String SCAN_INTERVAL_MS = "scan.interval.ms";
    public static final String HTTP_LISTEN = "http.listen";
    public static final String HTTP_TOKEN = "http.token";
    public static final String HOST_NAME = "host.name";

    public static final String DEFAULT_HTTP_LISTEN = "127.0.0.1:9797";

    public static final ConfigDef DEFINITION = define();

    private GuardianConfig(Map<String, ?> values) {
        super(DEFINITION, values, false);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        defineKafka(def);
        defineSidecar(def);
        defineWatch(def);
        return def;
    }

    private static void defineKafka(ConfigDef def) {
        def.define(BROKER_CONFIG, Type.STRING, "", Importance.HIGH,
                "Path of the broker's own server.properties. The guardian reads log.dirs (or log.dir), "
                        + "node.id and listeners from it. Same as --broker-config.");
        def.define(LOG_DIRS, Type.LIST, "", Importance.HIGH,
                "Kafka log dirs to watch, comma-separated. Empty: taken from broker.config. When both are "
                        + "given they must name the same directories.");
        def.define(NODE_ID, Type.INT, -1, Range.atLeast(-1), Importance.MEDIUM,
                "The broker's node.id. -1: taken from broker.config.");
        def.define(BOOTSTRAP_SERVERS, Type.STRING, "", Importance.HIGH,
                "Kafka bootstrap servers for the Admin client. Empty: derived from the listeners in "
                        + "broker.config; when neither is set, cluster features are off and local duties go on. "
                        + "Same as --bootstrap-server.");
        def.define(COMMAND_CONFIG, Type.STRING, "", Importance.MEDIUM,
                "Path of a properties file with Admin client settings (security.protocol, sasl.*, ssl.*), "
                        + "as Kafka's own tools take it. Same as --command-config.");
        def.define(ADMIN_TIMEOUT_MS, Type.INT, 15_000, Range.between(1_000, 600_000), Importance.LOW,
                "Upper bound for one Admin API call, in milliseconds. An unreachable cluster fails "
                        + "within this time and the sidecar goes on with its local duties.");
    }

    private static void defineSidecar(ConfigDef def) {
        def.define(SCAN_INTERVAL_MS, Type.LONG, 10_000L, Range.between(100L, 3_600_000L), Importance.HIGH,
                "Interval between two passes of the sidecar (observe, assess, act, report), in milliseconds.");
        def.define(HTTP_LISTEN, Type.STRING, DEFAULT_HTTP_LISTEN, new HostPortValidator(), Importance.HIGH,
                "HOST:PORT the sidecar's HTTP server listens on (/metrics, /healthz, /readyz, /api/v1/*, /). "
                        + "Port 0 picks a free port. Same as --http-listen.");
        def.define(HTTP_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                "Bearer token required by HTTP endpoints that change state (POST /api/v1/ballast/release). "
                        + "Unset: those endpoints answer 403.");
        def.define(HOST_NAME, Type.STRING, "", Importance.LOW,
                "Host name used in events and heartbeats. Empty: this machine's host name.");
    }

    // --- watch: disk pressure levels, growth and forecast (see disk.WatchSettings)
    public static final String PRESSURE_WARN_RATIO = "pressure.warn.ratio";
    public static final String PRESSURE_HIGH_RATIO = "pressure.high.ratio";
    public static final String PRESSURE_CRITICAL_RATIO = "pressure.critical.ratio";
    public static final String PRESSURE_WARN_FLOOR_BYTES = "pressure.warn.floor.bytes";
    public static final String PRESSURE_HIGH_FLOOR_BYTES = "pressure.high.floor.bytes";
    public static final String PRESSURE_CRITICAL_FLOOR_BYTES = "pressure.critical.floor.bytes";
    public static final String PRESSURE_WARN_HEADROOM_BYTES = "pressure.warn.headroom.bytes";
    public static final String PRESSURE_HIGH_HEADROOM_BYTES = "pressure.high.headroom.bytes";
    public static final String PRESSURE_CRITICAL_HEADROOM_BYTES = "pressure.critical.headroom.bytes";
    public static final String PRESSURE_HYSTERESIS_RATIO = "pressure.hysteresis.ratio";
    public static final String PRESSURE_HYSTERESIS_BYTES = "pressure.hysteresis.bytes";
    public static final String FORECAST_WINDOW_MS = "forecast.window.ms";
    public static final String FORECAST_MIN_SPAN_MS = "forecast.min.span.ms";
    public static final String FORECAST_HORIZON_MS = "forecast.horizon.ms";
    public static final String FORECAST_DROP_RATIO = "forecast.drop.ratio";
    public static final String GROWTH_WINDOW_MS = "growth.window.ms";

    private static void defineWatch(ConfigDef def) {
        long gib = 1L << 30;
        String used = " A level is reached when the filesystem's used ratio (df's Use%, ballast included) is at or above "
                + "this and usable space is also below the level's headroom, or when usable space is below its floor.";
        def.define(PRESSURE_WARN_RATIO, Type.DOUBLE, 0.85, Range.between(0.0, 1.0), Importance.HIGH,
                "Used ratio at which a filesystem's pressure becomes warn." + used);
        def.define(PRESSURE_HIGH_RATIO, Type.DOUBLE, 0.90, Range.between(0.0, 1.0), Importance.HIGH,
                "Used ratio at which a filesystem's pressure becomes high. Must be >= pressure.warn.ratio.");
        def.define(PRESSURE_CRITICAL_RATIO, Type.DOUBLE, 0.95, Range.between(0.0, 1.0), Importance.HIGH,
                "Used ratio at which a filesystem's pressure becomes critical. Must be >= pressure.high.ratio.");
        def.define(PRESSURE_WARN_FLOOR_BYTES, Type.LONG, 5 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a filesystem is at least warn, whatever its used ratio (small disks). 0: off.");
        def.define(PRESSURE_HIGH_FLOOR_BYTES, Type.LONG, 2 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a filesystem is at least high. Must be <= pressure.warn.floor.bytes. 0: off.");
        def.define(PRESSURE_CRITICAL_FLOOR_BYTES, Type.LONG, gib, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a filesystem is critical. Must be <= pressure.high.floor.bytes. 0: off.");
        def.define(PRESSURE_WARN_HEADROOM_BYTES, Type.LONG, 200 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "The warn ratio counts only while usable bytes are below this, so a large disk is not judged by "
                        + "percent alone (Elasticsearch's max_headroom). 0: the ratio alone decides.");
        def.define(PRESSURE_HIGH_HEADROOM_BYTES, Type.LONG, 150 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "As pressure.warn.headroom.bytes, for the high ratio. 0: the ratio alone decides.");
        def.define(PRESSURE_CRITICAL_HEADROOM_BYTES, Type.LONG, 100 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "As pressure.warn.headroom.bytes, for the critical ratio. 0: the ratio alone decides.");
        def.define(PRESSURE_HYSTERESIS_RATIO, Type.DOUBLE, 0.02, Range.between(0.0, 0.5), Importance.MEDIUM,
                "A level is left only when the used ratio is this far below its ratio (and usable space "
                        + "pressure.hysteresis.bytes above its floor and headroom), so a disk at a threshold does not flap.");
        def.define(PRESSURE_HYSTERESIS_BYTES, Type.LONG, gib, Range.atLeast(0L), Importance.MEDIUM,
                "Byte margin of the hysteresis on floors and headrooms; see pressure.hysteresis.ratio.");
        def.define(FORECAST_WINDOW_MS, Type.LONG, 6 * 3_600_000L, Range.between(60_000L, 30 * 86_400_000L), Importance.MEDIUM,
                "Window of filesystem samples for the growth rate and time-to-full fit (Theil-Sen), in milliseconds.");
        def.define(FORECAST_MIN_SPAN_MS, Type.LONG, 300_000L, Range.atLeast(0L), Importance.LOW,
                "A forecast needs samples spanning at least this long, in milliseconds; before that it says "
                        + "insufficient data. Must be <= forecast.window.ms.");
        def.define(FORECAST_HORIZON_MS, Type.LONG, 365 * 86_400_000L, Range.atLeast(3_600_000L), Importance.LOW,
                "A filesystem that would take longer than this to fill is reported as not filling, in milliseconds.");
        def.define(FORECAST_DROP_RATIO, Type.DOUBLE, 0.01, Range.between(0.0001, 0.5), Importance.LOW,
                "A fall in used bytes larger than this share of the filesystem between two samples (a deletion) "
                        + "restarts the growth fit after it.");
        def.define(GROWTH_WINDOW_MS, Type.LONG, 3_600_000L, Range.between(60_000L, 30 * 86_400_000L), Importance.LOW,
                "Window of log dir scans for the write rate and index growth rate per log dir, in milliseconds.");
    }

    /**
     * Validates and parses the given values. Unknown keys, wrong types and out-of-range values
     * throw {@link InvalidConfigException} naming the key, the value and what is allowed.
     */
    public static GuardianConfig of(Map<String, ?> values) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(DEFINITION.names());
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("Unknown configuration key" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + ". Known keys are listed in docs/configuration.md and by 'guardian --help-config'; "
                    + "remove or correct " + (unknown.size() > 1 ? "them." : "it."));
        }
        try {
            return new GuardianConfig(values);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage()
                    + ". See docs/configuration.md for the allowed values.", e);
        }
    }

    /** Reads and validates a properties file; an unreadable file is a configuration error. */
    public static GuardianConfig load(Path file, Map<String, ?> overrides) {
        Map<String, Object> values = new HashMap<>(readProperties(file, "--config"));
        values.putAll(overrides);
        return of(values);
    }

    /** Reads a properties file into a map; fails with exit code 2 naming the option and the file. */
    public static Map<String, String> readProperties(Path file, String option) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(option + " " + file + ": no such file. Give the path of an existing properties file.");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException(option + " " + file + " cannot be read: " + e.getMessage()
                    + ". Check that it is a readable properties file.", e);
        }
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }

    /** Every declared key, in declaration order. */
    public static List<String> keys() {
        return new ArrayList<>(DEFINITION.configKeys().keySet());
    }
}
