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
    public static final String CONFIG_PROVIDERS = ConfigProviders.KEY;

    // --- sidecar: the loop and its HTTP server
    public static final String SCAN_INTERVAL_MS = "scan.interval.ms";
    public static final String HTTP_LISTEN = "http.listen";
    public static final String HTTP_TOKEN = "http.token";
    public static final String HTTP_TOKEN_FILE = "http.token.file";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String HTTP_TLS_KEYSTORE_PATH = "http.tls.keystore.path";
    public static final String HTTP_TLS_KEYSTORE_PASSWORD = "http.tls.keystore.password";
    public static final String HTTP_TLS_KEYSTORE_PASSWORD_FILE = "http.tls.keystore.password.file";
    public static final String HOST_NAME = "host.name";
    public static final String LOG_FORMAT = "log.format";

    // --- drop: the guarded drop of replicas (docs/drop.md)
    public static final String DROP_TRASH_DIR = "drop.trash.dir";
    public static final String DROP_AUDIT_LOG = "drop.audit.log";
    public static final String DROP_CANDIDATES_INTERVAL_MS = "drop.candidates.interval.ms";
    public static final String DROP_REASSIGNMENT_TIMEOUT_MS = "drop.reassignment.timeout.ms";

    public static final String DEFAULT_HTTP_LISTEN = "127.0.0.1:9797";

    // --- retention: which topics are archive topics, and whether drift is repaired
    public static final String RETENTION_TOPICS = "retention.topics";
    public static final String RETENTION_TOPICS_REGEX = "retention.topics.regex";
    public static final String RETENTION_TOPICS_EXCLUDE = "retention.topics.exclude";
    public static final String RETENTION_REPAIR = "retention.repair";

    public static final ConfigDef DEFINITION = define();

    private GuardianConfig(Map<String, ?> values) {
        // Kafka's AbstractConfig resolves ${provider:path:key} in every value with the providers the
        // file declares (config.providers), before any key is parsed or validated.
        super(DEFINITION, values, ConfigProviders.providerProperties(values), false);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        defineKafka(def);
        defineSidecar(def);
        defineRetention(def);
        defineDrop(def);
        defineReserve(def);
        defineWatch(def);
        defineRecovery(def);
        defineCordon(def);
        defineMove(def);
        defineStop(def);
        defineClusterView(def);
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
        def.define(CONFIG_PROVIDERS, Type.LIST, "", Importance.LOW,
                "Kafka's config providers, as in a broker's server.properties: names declared here, each with "
                        + "config.providers.<name>.class (org.apache.kafka.common.config.provider.FileConfigProvider, "
                        + "DirectoryConfigProvider or EnvVarConfigProvider) and optional config.providers.<name>.param.*; "
                        + "any value of any key may then be ${<name>:<path>:<key>} (file), ${<name>:<dir>:<file>} (dir) or "
                        + "${<name>:<VARIABLE>} (env), so secrets come from a mounted secret. The file given with "
                        + "command.config may declare its own providers the same way (sasl.jaas.config from a secret).");
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
        def.define(HTTP_TOKEN_FILE, Type.STRING, "", Importance.MEDIUM,
                "File whose content (surrounding white space removed) is the http.token, e.g. a mounted Kubernetes "
                        + "secret or a systemd credential. Not together with http.token. Empty: none.");
        def.define(HTTP_READ_TIMEOUT_MS, Type.INT, 10_000, Range.between(100, 600_000), Importance.LOW,
                "Longest time, in milliseconds, a client may take to send a complete request head on a new connection, "
                        + "and longest silence on an open one; then the connection is closed. A slow or stalled client "
                        + "holds no server thread meanwhile.");
        def.define(HTTP_TLS_KEYSTORE_PATH, Type.STRING, "", Importance.MEDIUM,
                "Path of a PKCS12 keystore with the HTTP server's private key and certificate chain. Set: the server "
                        + "speaks HTTPS only (plain HTTP to the port is refused). Empty: plain HTTP. A missing or "
                        + "unreadable file, a wrong password or a keystore without a private key stops the start (exit 2). "
                        + "Clients must trust its certificate (guardian cluster: GUARDIAN_OPTS=-Djavax.net.ssl.trustStore=...); "
                        + "cluster-view forwarding between sidecars speaks plain HTTP and does not reach a sidecar with TLS on.");
        def.define(HTTP_TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                "Password of http.tls.keystore.path (and of its key). Give this or http.tls.keystore.password.file.");
        def.define(HTTP_TLS_KEYSTORE_PASSWORD_FILE, Type.STRING, "", Importance.MEDIUM,
                "Path of a file holding the password of http.tls.keystore.path (a trailing newline is ignored), "
                        + "e.g. a mounted Kubernetes secret. Give this or http.tls.keystore.password.");
        def.define(HOST_NAME, Type.STRING, "", Importance.LOW,
                "Host name used in events and heartbeats. Empty: this machine's host name.");
        def.define(LOG_FORMAT, Type.STRING, "text", ConfigDef.ValidString.in("text", "json"), Importance.LOW,
                "How 'guardian run' writes its log lines on stderr: 'text', one human line each (time, level, "
                        + "thread, logger, message); 'json', one JSON object each (time, level, logger, thread, message, "
                        + "error, error_message, stack_trace). State-change events are JSON lines in both.");
    }

    private static void defineRetention(ConfigDef def) {
        def.define(RETENTION_TOPICS, Type.LIST, "", Importance.HIGH,
                "Archive topics by name, comma-separated: their retention.ms and retention.bytes are kept at -1 "
                        + "(infinite). A named topic that does not exist is an error. Same as --topics.");
        def.define(RETENTION_TOPICS_REGEX, Type.STRING, "",
                ConfigDef.LambdaValidator.with(GuardianConfig::validateRegex, () -> "a Java regular expression"),
                Importance.HIGH,
                "Archive topics by regular expression, matched against the whole topic name. Never matches "
                        + "internal topics (names starting with __ or _guardian). Empty: none. Same as --topics-regex.");
        def.define(RETENTION_TOPICS_EXCLUDE, Type.LIST, "", Importance.MEDIUM,
                "Topic names never treated as archive topics, even when named or matched by the regex. "
                        + "Same as --exclude.");
        def.define(RETENTION_REPAIR, Type.BOOLEAN, true, Importance.HIGH,
                "true: the sidecar elected as repairer (the one on the lowest live broker id) sets drifted "
                        + "archive topics back to retention.ms=-1 and retention.bytes=-1; false: drift is only "
                        + "reported (events, guardian_retention_drift_topics).");
    }

    private static void validateRegex(String name, Object value) {
        try {
            java.util.regex.Pattern.compile((String) value);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigException(name, value, "not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static void defineDrop(ConfigDef def) {
        def.define(DROP_TRASH_DIR, Type.STRING, "", Importance.MEDIUM,
                "Where 'guardian drop --execute' moves dropped partition directories until they are purged: "
                        + "<drop.trash.dir>/<log dir path with / as _>. Must be on the log dir's filesystem and outside "
                        + "every log dir. Empty: the sibling directory <log dir>.guardian-trash.");
        def.define(DROP_AUDIT_LOG, Type.STRING, "", Importance.MEDIUM,
                "File to which every drop action is appended as one JSON line. Empty: audit.jsonl in the trash "
                        + "of the first log dir.");
        def.define(DROP_REASSIGNMENT_TIMEOUT_MS, Type.LONG, 600_000L, Range.between(1_000L, 86_400_000L), Importance.LOW,
                "How long 'guardian drop --execute' waits for the controller to complete the reassignments before "
                        + "it gives up without touching local data, in milliseconds.");
        def.define(DROP_CANDIDATES_INTERVAL_MS, Type.LONG, 300_000L, Range.between(10_000L, 86_400_000L), Importance.LOW,
                "How often the running sidecar recomputes guardian_drop_candidates_bytes (a cluster-wide describe) and, "
                        + "while the broker is down and its next start does not fit, the plan for that start, in milliseconds. "
                        + "/api/v1/drop-candidates serves the last result and never waits on the cluster.");
    }

    // --- reserve: tiered ballast on each data filesystem (guardian.ballast, library reserve-blocks)
    public static final String RESERVE_DIRS = "reserve.dirs";
    public static final String RESERVE_SIZE = "reserve.size";
    public static final String RESERVE_TIERS = "reserve.tiers";
    public static final String RESERVE_FIRST_TIER_SIZE = "reserve.first.tier.size";
    public static final String RESERVE_REARM_ENABLED = "reserve.rearm.enabled";
    public static final String RESERVE_ARM_MAX_USED_PERCENT = "reserve.arm.max.used.percent";
    public static final String RESERVE_WRITE_RATE = "reserve.write.rate.bytes.per.second";
    public static final String RESERVE_ALLOCATION_MODE = "reserve.allocation.mode";
    public static final String RESERVE_LOCK_TIMEOUT_MS = "reserve.lock.timeout.ms";
    public static final String RESERVE_REARM_DELAY_MS = "reserve.rearm.delay.ms";
    public static final String RESERVE_AUTO_ARM = "reserve.auto.arm";

    private static void defineReserve(ConfigDef def) {
        def.define(RESERVE_DIRS, Type.LIST, "", Importance.MEDIUM,
                "Where each filesystem's reserve lives, comma-separated, one entry per log dir in the order of "
                        + "log.dirs (an empty entry keeps the default). Default: a sibling directory "
                        + "<parent>/.guardian-reserve-<logdir name> on the log dir's filesystem, or plain files "
                        + ".guardian-reserve-* at the log dir root when the log dir is a mount point. A directory "
                        + "inside any log dir or on another filesystem is refused.");
        def.define(RESERVE_SIZE, Type.STRING, "5%", new ReserveSizeValidator(), Importance.HIGH,
                "Total size of each filesystem's reserve: bytes with a binary unit (20G, 512M) or a percentage "
                        + "of the filesystem (5%). Same as 'ballast arm --size'.");
        def.define(RESERVE_TIERS, Type.INT, 4, Range.between(1, 64), Importance.MEDIUM,
                "Number of tier files the reserve is split into; a release frees one or more tiers, so the "
                        + "reserve can help more than once. Same as 'ballast arm --tiers'.");
        def.define(RESERVE_FIRST_TIER_SIZE, Type.STRING, "", new ReserveSizeValidator(), Importance.LOW,
                "Optional size of a smaller first tier (released first, for a quick nudge), as reserve.size; "
                        + "the rest is split equally. Empty: all tiers are equal.");
        def.define(RESERVE_REARM_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the running sidecar re-arms released tiers by itself, one tier per pass, when "
                        + "reserve.arm.max.used.percent allows.");
        def.define(RESERVE_ARM_MAX_USED_PERCENT, Type.DOUBLE, 90.0, Range.between(1.0, 100.0), Importance.MEDIUM,
                "Safety rule for arming and re-arming a tier: the filesystem's used share after arming must stay "
                        + "at or below this percentage (the high watermark), so ballast never starts disk pressure.");
        def.define(RESERVE_WRITE_RATE, Type.LONG, 32L * 1024 * 1024, Range.atLeast(0L), Importance.LOW,
                "Rate limit, in bytes per second, for filesystems without fallocate, where tiers are armed by "
                        + "writing data (spares the broker's disk I/O on shared spindles). 0: unlimited.");
        def.define(RESERVE_ALLOCATION_MODE, Type.STRING, "auto",
                ConfigDef.CaseInsensitiveValidString.in("auto", "fallocate", "write"), Importance.LOW,
                "How tier files get real blocks: auto (fallocate where the filesystem supports it, else write "
                        + "incompressible data), fallocate, or write.");
        def.define(RESERVE_LOCK_TIMEOUT_MS, Type.INT, 30_000, Range.between(0, 3_600_000), Importance.LOW,
                "How long a ballast operation waits for another process (CLI or sidecar) working on the same "
                        + "reserve, in milliseconds.");
        def.define(RESERVE_REARM_DELAY_MS, Type.LONG, 600_000L, Range.between(0L, 7L * 86_400_000L), Importance.LOW,
                "After any ballast release, the running sidecar waits this long (and for the broker to run "
                        + "steadily for 3 passes) before it re-arms a tier, in milliseconds, so re-arming never "
                        + "takes back room a recovery or catch-up is still using. A re-arm also waits until the "
                        + "cluster says this broker has no under-replicated partitions, or, when the cluster cannot "
                        + "say, until the usable space after re-arming still covers what a crash now would need "
                        + "(the catch-up of a recovery.outage.ms outage at the measured write rate included).");
        def.define(RESERVE_AUTO_ARM, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the running sidecar arms the configured reserve by itself where a filesystem has none "
                        + "(a fresh install): one tier per pass, once the broker has run for 3 passes, never while "
                        + "it is not running or a release is waiting, under reserve.arm.max.used.percent. Once the "
                        + "write rate is measured the size is the 'ballast recommend' model (catch-up of a "
                        + "recovery.outage.ms outage, local recovery, margin), capped by reserve.size.");
    }

    /** Accepts what {@link io.archiveguardian.reserve.ReserveSize#parse} accepts, or empty. */
    private static final class ReserveSizeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            if (text.isEmpty() && !RESERVE_SIZE.equals(name)) {
                return;
            }
            try {
                io.archiveguardian.reserve.ReserveSize.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "bytes or a binary unit, decimals allowed (20G, 1.5G, 512M), or a percentage (5%)";
        }
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

    // --- recovery: the unclean-exit guard (guardian prestart and the running sidecar)
    public static final String RECOVERY_MARGIN_RATIO = "recovery.margin.ratio";
    public static final String RECOVERY_MARGIN_MIN_BYTES = "recovery.margin.min.bytes";
    public static final String RECOVERY_OUTAGE_MS = "recovery.outage.ms";
    public static final String BROKER_STATE_POLL_MS = "broker.state.poll.ms";
    public static final String BROKER_ADDRESS = "broker.address";
    public static final String STATE_DIR = "state.dir";
    public static final String PRESTART_CLUSTER_TIMEOUT_MS = "prestart.cluster.timeout.ms";
    public static final String PRESTART_ON_ERROR = "prestart.on.error";

    private static void defineRecovery(ConfigDef def) {
        def.define(RECOVERY_MARGIN_RATIO, Type.DOUBLE, 0.10, Range.between(0.0, 10.0), Importance.MEDIUM,
                "Safety margin added to the space the next broker start needs, as a share of that need.");
        def.define(RECOVERY_MARGIN_MIN_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(0L), Importance.MEDIUM,
                "The safety margin is at least this many bytes. Left at its default, the floor is the smaller of "
                        + "256 MiB and 2% of the filesystem, so it never exceeds a small disk; a value you set is used as given.");
        def.define(RECOVERY_OUTAGE_MS, Type.LONG, 4L * 3_600_000L, Range.between(60_000L, 365L * 86_400_000L), Importance.MEDIUM,
                "The broker outage 'guardian ballast recommend' sizes the ballast for: the catch-up of this "
                        + "long an outage at the measured write rate, plus local recovery, plus the margin.");
        def.define(BROKER_STATE_POLL_MS, Type.LONG, 500L, Range.between(50L, 60_000L), Importance.MEDIUM,
                "How often the running sidecar checks whether the broker is still running (fcntl(F_GETLK) on "
                        + "<logdir>/.lock and a connect to its listener; no scan, no cluster call), "
                        + "so that it can free space after an unclean exit before the service manager restarts the broker.");
        def.define(BROKER_ADDRESS, Type.STRING, "",
                ConfigDef.LambdaValidator.with((name, value) -> {
                    if (value != null && !((String) value).isBlank()) {
                        HostPort.parse(name, ((String) value).trim());
                    }
                }, () -> "empty or HOST:PORT"), Importance.MEDIUM,
                "HOST:PORT of one of the broker's listeners that the broker-state check connects to, beside "
                        + "fcntl(F_GETLK) on .lock: a refused connect corroborates an exit. Empty: the first non-controller "
                        + "listener of broker.config (a wildcard host is reached at 127.0.0.1). Set it when the guardian "
                        + "runs in another network namespace than the broker, e.g. a Strimzi companion pod: the broker "
                        + "pod's DNS name (docs/strimzi.md).");
        def.define(STATE_DIR, Type.STRING, "/var/lib/kafka-guardian", Importance.MEDIUM,
                "Where the sidecar keeps what prestart needs when the cluster cannot be asked: the measured write "
                        + "rate of each log dir and when the broker was last seen running. Not inside a log dir (checked with "
                        + "symbolic links resolved: exit 2).");
        def.define(PRESTART_CLUSTER_TIMEOUT_MS, Type.INT, 3_000, Range.between(100, 120_000), Importance.MEDIUM,
                "How long prestart waits for the cluster to say what the broker must catch up, in milliseconds; "
                        + "after it, prestart decides on local facts (the catch-up is estimated) and says so. The sidecar "
                        + "asks with the same bound on its cluster thread; its release never waits for the answer.");
        def.define(PRESTART_ON_ERROR, Type.STRING, "start", ConfigDef.ValidString.in("start", "block"), Importance.MEDIUM,
                "What prestart does when it fails itself (an unexpected error, a reserve lock timeout, a log dir that "
                        + "is missing or unreadable, a reserve or a growth record that cannot be read): 'start' exits 0 with a loud message and an event, so the guardian "
                        + "never becomes the reason a broker cannot start; 'block' exits 1. A reasoned 'this start would "
                        + "not fit' (exit 10) blocks in both cases. See docs/runbook-unclean-exit-loop.md.");
    }

    // --- cordon: KIP-1066 cordoned.log.dirs for a pressured log dir (docs/cordon.md)
    public static final String CORDON_ENABLED = "cordon.enabled";
    public static final String CORDON_LEVEL = "cordon.level";

    private static void defineCordon(ConfigDef def) {
        def.define(CORDON_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "true: the running sidecar adds a log dir of its own broker to the broker's dynamic cordoned.log.dirs "
                        + "(KIP-1066) when the log dir's filesystem reaches cordon.level, so the controller places no new "
                        + "replicas there, and removes it again once the pressure is back below warn. It only ever removes "
                        + "entries it added itself (recorded in state.dir). Needs metadata.version 4.3-IV0 or later.");
        def.define(CORDON_LEVEL, Type.STRING, "high",
                ConfigDef.CaseInsensitiveValidString.in("warn", "high", "critical"), Importance.MEDIUM,
                "Disk pressure level (warn, high or critical) at which the sidecar cordons a log dir. The cordon is "
                        + "lifted when the level is back to ok (below warn), so a disk at the threshold does not flap.");
    }

    // --- move: replicas to a sibling log dir of the same broker (JBOD) while it runs (docs/move.md)
    public static final String MOVE_ENABLED = "move.enabled";
    public static final String MOVE_BUDGET_BYTES = "move.budget.bytes";
    public static final String MOVE_THROTTLE_BYTES_PER_SECOND = "move.throttle.bytes.per.second";

    private static void defineMove(ConfigDef def) {
        def.define(MOVE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "true: when a filesystem holding a log dir of the running broker reaches cordon.level (or the brink "
                        + "of the clean stop) and another filesystem holds an online, uncordoned log dir of the same broker "
                        + "with room, the sidecar moves replicas there with alterReplicaLogDirs (the broker copies them while "
                        + "it runs, no restart, no recovery), so that the destination stays below cordon.level and the source "
                        + "gets back below warn. Needs bootstrap.servers and node.id. false: never move (docs/move.md).");
        def.define(MOVE_BUDGET_BYTES, Type.LONG, 10L * 1024 * 1024 * 1024, Range.atLeast(1L), Importance.MEDIUM,
                "The most replica bytes the broker copies between its log dirs at once: what a move round requests "
                        + "plus the moves still in flight (any future replica of the broker) stay within it. A replica "
                        + "larger than the budget is moved alone, when nothing else is in flight.");
        def.define(MOVE_THROTTLE_BYTES_PER_SECOND, Type.LONG, 0L, Range.atLeast(0L), Importance.LOW,
                "When above 0, the sidecar sets the broker's dynamic config replica.alter.log.dirs.io.max.bytes.per.second "
                        + "to this value (incrementalAlterConfigs, per broker) before it moves replicas, so the copy "
                        + "leaves disk bandwidth to producers and followers. 0: the broker's own setting is left as it is "
                        + "(Kafka's default: no limit). The guardian never removes the setting.");
    }

    // --- stop: the last step of the pressure ladder, a clean stop before the disk fills (docs/stop.md)
    public static final String STOP_ENABLED = "stop.enabled";
    public static final String STOP_SHUTDOWN_TIME_MS = "stop.shutdown.time.ms";
    public static final String STOP_MARGIN_MS = "stop.margin.ms";
    public static final String STOP_MIN_USABLE_BYTES = "stop.min.usable.bytes";
    public static final String STOP_COOLDOWN_MS = "stop.cooldown.ms";
    public static final String STOP_TIMEOUT_MS = "stop.timeout.ms";
    public static final String STOP_RATE_WINDOW_MS = "stop.rate.window.ms";
    public static final String BROKER_STOP_COMMAND = "broker.stop.command";

    private static void defineStop(ConfigDef def) {
        def.define(STOP_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
                "true: when a running broker's disk would be full before a clean shutdown could finish (or usable "
                        + "space falls below stop.min.usable.bytes), every online log dir of the broker is in that state "
                        + "and no ballast above what the next start needs is left to release, the sidecar stops the broker "
                        + "cleanly (SIGTERM to the .lock holder, or broker.stop.command) and confirms .kafka_cleanshutdown: "
                        + "its next start needs no log recovery. Otherwise Kafka halts on the full disk with no clean-shutdown "
                        + "marker and the next start recovers every log. false: never stop the broker (docs/stop.md).");
        def.define(STOP_SHUTDOWN_TIME_MS, Type.LONG, 15_000L, Range.between(100L, 3_600_000L), Importance.MEDIUM,
                "How long a clean shutdown of this broker takes (controlled shutdown, flush, checkpoints), until the "
                        + "guardian has measured one of its own stops; then the measured time is used.");
        def.define(STOP_MARGIN_MS, Type.LONG, 5_000L, Range.between(0L, 3_600_000L), Importance.MEDIUM,
                "Time added to the shutdown time: the broker is stopped when the filesystem would be full, at the "
                        + "write rate of the last stop.rate.window.ms, within the shutdown time plus this margin.");
        def.define(STOP_MIN_USABLE_BYTES, Type.LONG, 16L * 1024 * 1024, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a running broker is stopped whatever the write rate: what a clean shutdown "
                        + "writes (checkpoints, the clean-shutdown marker) with room to spare. 0: off.");
        def.define(STOP_COOLDOWN_MS, Type.LONG, 3_600_000L, Range.between(0L, 7L * 24 * 3_600_000L), Importance.MEDIUM,
                "At most one stop per this interval (the last stop is read back from state.dir/stops.jsonl after a "
                        + "sidecar restart), so a broker that a service manager restarts onto a full disk is not stopped in a loop.");
        def.define(STOP_TIMEOUT_MS, Type.LONG, 120_000L, Range.between(1_000L, 3_600_000L), Importance.MEDIUM,
                "How long the sidecar waits for the broker to end after it asked it to stop; past that the stop is "
                        + "reported as failed (the broker is left to Kafka and the service manager).");
        def.define(STOP_RATE_WINDOW_MS, Type.LONG, 3_000L, Range.between(200L, 600_000L), Importance.LOW,
                "Window of the write rate the guard thread measures from usable space every broker.state.poll.ms, "
                        + "for the time to full that decides a stop.");
        def.define(BROKER_STOP_COMMAND, Type.STRING, "", Importance.MEDIUM,
                "Command (run with sh -c) that stops the broker cleanly when the guardian cannot see the .lock holder's "
                        + "pid (another PID namespace), e.g. 'systemctl stop kafka'. Empty: SIGTERM to the pid only.");
    }

    // --- cluster view: heartbeats and events through Kafka, aggregated by Kafka Streams (docs/cluster-view.md)
    public static final String CLUSTER_VIEW_ENABLED = "cluster.view.enabled";
    public static final String CLUSTER_HEARTBEAT_TOPIC = "cluster.heartbeat.topic";
    public static final String CLUSTER_EVENTS_TOPIC = "cluster.events.topic";
    public static final String CLUSTER_PLACEMENT_TOPIC = "cluster.placement.topic";
    public static final String CLUSTER_EVENTS_RETENTION_MS = "cluster.events.retention.ms";
    public static final String CLUSTER_SILENCE_TIMEOUT_MS = "cluster.silence.timeout.ms";
    public static final String CLUSTER_SILENCE_BRAKE_RATIO = "cluster.silence.brake.ratio";
    public static final String CLUSTER_PLACEMENT_REFRESH_MS = "cluster.placement.refresh.ms";
    public static final String CLUSTER_VIEW_ADVERTISED_ADDRESS = "cluster.view.advertised.address";

    private static void defineClusterView(ConfigDef def) {
        def.define(CLUSTER_VIEW_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the sidecar publishes heartbeats and events to Kafka and runs the Kafka Streams cluster "
                        + "view (/api/v1/cluster). Needs bootstrap servers; false (or no cluster) leaves every local "
                        + "duty working.");
        def.define(CLUSTER_HEARTBEAT_TOPIC, Type.STRING, "__guardian_heartbeats", new ConfigDef.NonEmptyString(),
                Importance.LOW, "Compacted topic of the sidecars' heartbeats, keyed by broker id. Created on first use; "
                        + "never treated as an archive topic.");
        def.define(CLUSTER_EVENTS_TOPIC, Type.STRING, "__guardian_events", new ConfigDef.NonEmptyString(),
                Importance.LOW, "Topic of the sidecars' state-change events, with finite retention "
                        + "(cluster.events.retention.ms). Created on first use; never treated as an archive topic.");
        def.define(CLUSTER_PLACEMENT_TOPIC, Type.STRING, "__guardian_placement", new ConfigDef.NonEmptyString(),
                Importance.LOW, "Compacted topic of each broker's replica placement (partition, log dir, replica set) "
                        + "as the Admin API reports it, keyed by broker id. Created on first use; never an archive topic.");
        def.define(CLUSTER_EVENTS_RETENTION_MS, Type.LONG, 30L * 86_400_000L, Range.between(3_600_000L, 3_650L * 86_400_000L),
                Importance.LOW, "retention.ms of the events topic when the guardian creates it, in milliseconds.");
        def.define(CLUSTER_SILENCE_TIMEOUT_MS, Type.LONG, 0L, Range.atLeast(0L), Importance.MEDIUM,
                "A sidecar whose heartbeats stop is SUSPECT after one missed scan.interval.ms and SILENT after this "
                        + "long without a heartbeat, in milliseconds. 0: three scan intervals, at least 30 seconds. "
                        + "A non-zero value must be at least two scan intervals.");
        def.define(CLUSTER_SILENCE_BRAKE_RATIO, Type.DOUBLE, 0.4, Range.between(0.0, 1.0), Importance.LOW,
                "When more than this share of the sidecars (and at least two) are silent at once, the view reports "
                        + "itself as suspect instead of convicting them all (a cut-off observer looks like a dead cluster).");
        def.define(CLUSTER_PLACEMENT_REFRESH_MS, Type.LONG, 300_000L, Range.between(1_000L, 86_400_000L), Importance.LOW,
                "How often each sidecar reads its broker's replica placement from the Admin API and publishes it, "
                        + "in milliseconds.");
        def.define(CLUSTER_VIEW_ADVERTISED_ADDRESS, Type.STRING, "",
                ConfigDef.LambdaValidator.with((name, value) -> {
                    String v = value == null ? "" : value.toString().trim();
                    if (!v.isEmpty()) {
                        HostPort hp = HostPort.parse(name, v);
                        if (hp.port() == 0) {
                            throw new ConfigException(name, value, "the port must be the one other sidecars connect to, not 0");
                        }
                    }
                }, () -> "empty, or HOST:PORT with a port 1-65535"),
                Importance.MEDIUM,
                "HOST:PORT under which the other sidecars reach this sidecar's HTTP server (Kafka Streams' "
                        + "application.server, used to forward cluster queries). Empty: the address http.listen bound. "
                        + "Set it when http.listen is 127.0.0.1 and the sidecars run on different hosts.");
    }

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
                "Usable bytes below which a filesystem is at least warn, whatever its used ratio (small disks). 0: off. "
                        + "Capped at twice the level's free share of the filesystem (30% with the default ratio).");
        def.define(PRESSURE_HIGH_FLOOR_BYTES, Type.LONG, 2 * gib, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a filesystem is at least high. Must be <= pressure.warn.floor.bytes. 0: off. "
                        + "Capped at 2 x (1 - pressure.high.ratio) of the filesystem (20% by default).");
        def.define(PRESSURE_CRITICAL_FLOOR_BYTES, Type.LONG, gib, Range.atLeast(0L), Importance.MEDIUM,
                "Usable bytes below which a filesystem is critical. Must be <= pressure.high.floor.bytes. 0: off. "
                        + "Capped at 2 x (1 - pressure.critical.ratio) of the filesystem (10% by default), so a disk "
                        + "smaller than the floor does not start critical.");
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
                "Byte margin of the hysteresis on floors and headrooms; see pressure.hysteresis.ratio. Capped at "
                        + "pressure.hysteresis.ratio of the filesystem.");
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
     * Validates and parses the given values. Unknown keys, wrong types, out-of-range values and
     * keys that contradict each other throw one {@link InvalidConfigException} naming every one of
     * them: the key, the value and what is allowed, with its unit.
     */
    public static GuardianConfig of(Map<String, ?> given) {
        // Kafka's config providers first: a ${file:...} reference is checked as the value it names.
        Map<String, ?> values = ConfigProviders.providerProperties(given).isEmpty() ? given
                : ConfigProviders.resolve(given, "the configuration");
        ConfigProblems problems = ConfigProblems.of(DEFINITION, values);
        Map<String, Object> good = new HashMap<>(values);
        good.keySet().removeIf(k -> problems.names().contains(k));
        GuardianConfig config;
        try {
            config = new GuardianConfig(good);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage() + ". Every key, its range and unit: "
                    + ConfigProblems.REFERENCE + ".", e);
        }
        relations(config, good, problems);
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        return config;
    }

    /**
     * The rules between keys (the records built from them hold the same rules as invariants): each
     * broken one is reported on the key that was given, naming the other key and its value.
     */
    private static void relations(GuardianConfig c, Map<String, Object> given, ConfigProblems problems) {
        atMost(c, given, problems, PRESSURE_WARN_RATIO, PRESSURE_HIGH_RATIO);
        atMost(c, given, problems, PRESSURE_HIGH_RATIO, PRESSURE_CRITICAL_RATIO);
        if (c.getDouble(PRESSURE_WARN_RATIO) <= 0) {
            problems.relation(PRESSURE_WARN_RATIO, c.getDouble(PRESSURE_WARN_RATIO), "must be above 0 (0.85: 85% used)");
        }
        atMost(c, given, problems, PRESSURE_HIGH_FLOOR_BYTES, PRESSURE_WARN_FLOOR_BYTES);
        atMost(c, given, problems, PRESSURE_CRITICAL_FLOOR_BYTES, PRESSURE_HIGH_FLOOR_BYTES);
        atMost(c, given, problems, FORECAST_MIN_SPAN_MS, FORECAST_WINDOW_MS);
    }

    /** {@code low} must be at most {@code high}; reported on whichever of them was given (the lower if both). */
    private static void atMost(GuardianConfig c, Map<String, Object> given, ConfigProblems problems, String low, String high) {
        Object lowValue = c.get(low);
        Object highValue = c.get(high);
        if (((Number) lowValue).doubleValue() <= ((Number) highValue).doubleValue()) {
            return;
        }
        boolean lowGiven = given.containsKey(low);
        boolean highGiven = given.containsKey(high);
        String on = lowGiven || !highGiven ? low : high;
        String other = on.equals(low) ? high : low;
        String unit = other.endsWith(".ms") ? " ms" : other.endsWith(".bytes") ? " bytes" : "";
        problems.relation(on, c.get(on), "must be " + (on.equals(low) ? "at most " : "at least ") + other + ", which is "
                + c.get(other) + unit + (given.containsKey(other) ? "" : " (its default)"));
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
