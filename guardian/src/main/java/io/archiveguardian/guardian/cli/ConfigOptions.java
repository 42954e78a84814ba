package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.InvalidConfigException;
import io.archiveguardian.guardian.config.SettingsResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every Kafka-facing command shares, named as in Kafka's own tools. Each one mirrors a
 * configuration key with the same meaning and wins over the {@code --config} file.
 *
 * <p>{@code --logdir DIR} is the one name for "which log dirs". When the broker's log dirs are known
 * (from {@code --broker-config}, or {@code log.dirs} in {@code --config}) it picks among them, for
 * the commands that act on some of them (drop, drop-candidates, ballast, cordon); the others work on
 * every log dir and refuse a subset. When they are not known, {@code --logdir} names them.
 */
public final class ConfigOptions {

    /** The commands whose --logdir picks among the broker's log dirs; named in the refusal of a subset. */
    static final String SUBSET_COMMANDS = "drop, drop-candidates, ballast and cordon";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The guardian's own properties file (keys: docs/configuration.md).")
    Path config;

    @Option(names = "--broker-config", paramLabel = "FILE",
            description = "The broker's server.properties; log.dirs, node.id and listeners are read from it.")
    Path brokerConfig;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: from the broker's listeners).")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Admin client properties (security.protocol, sasl.*, ssl.*), as in Kafka's tools.")
    Path commandConfig;

    /** --logdir on a command that works on every log dir of the broker (run, status, prestart, ...). */
    static final String LOGDIR_NAMES = "A log dir of the broker; repeat it for each one. Only needed when neither "
            + "--broker-config nor log.dirs names them: this command always covers every log dir of the broker.";

    /** --logdir on a command that picks ({@link PicksLogDirs}). */
    static final String LOGDIR_PICKS = "A log dir of the broker to act on; repeat it for several (default: every "
            + "one). When neither --broker-config nor log.dirs names the broker's log dirs, these are its log dirs.";

    /** A command whose --logdir picks among the broker's log dirs (the others refuse a subset). */
    interface PicksLogDirs {
    }

    @Option(names = "--logdir", paramLabel = "DIR", description = LOGDIR_NAMES)
    List<Path> logDirs;

    /**
     * Gives --logdir on each command of {@code root} the description of what it does there: pick
     * (the {@link PicksLogDirs} commands) or name every log dir (the others). One mixin serves both.
     */
    static void describeLogDir(picocli.CommandLine root) {
        CommandSpec spec = root.getCommandSpec();
        picocli.CommandLine.Model.OptionSpec option = spec.findOption("--logdir");
        if (option != null && spec.userObject() instanceof PicksLogDirs) {
            spec.remove(option);
            spec.addOption(option.toBuilder().description(LOGDIR_PICKS).build());
        }
        root.getSubcommands().values().forEach(ConfigOptions::describeLogDir);
    }

    /**
     * The old option, hidden: like {@code log.dirs}, it names the broker's log dirs (so that --logdir
     * picks among them, as before), and warns once.
     */
    @Option(names = "--log-dirs", paramLabel = "DIR[,DIR...]", split = ",", hidden = true)
    List<Path> deprecatedLogDirs;

    private boolean warned;

    /** The log dirs given with --logdir, absolute, without repeats; empty when none was given. */
    public List<Path> requestedLogDirs() {
        Set<Path> out = new LinkedHashSet<>();
        if (logDirs != null) {
            for (Path dir : logDirs) {
                out.add(checked(dir).toAbsolutePath().normalize());
            }
        }
        return List.copyOf(out);
    }

    private static Path checked(Path dir) {
        String value = dir.toString();
        if (value.isBlank()) {
            throw new InvalidConfigException("--logdir '" + value + "': an empty log dir (an unset shell variable?). "
                    + "Give the absolute path of a Kafka log dir.");
        }
        if (value.contains(",")) {
            throw new InvalidConfigException("--logdir " + value + ": a log dir path cannot contain a comma (Kafka's "
                    + "log.dirs separates its entries with commas). Repeat --logdir for several: --logdir "
                    + String.join(" --logdir ", value.split(",")) + ".");
        }
        return dir;
    }

    /** The deprecated --log-dirs values as a log.dirs value, saying once that the option is deprecated. */
    private Optional<String> deprecatedLogDirsValue() {
        if (deprecatedLogDirs == null || deprecatedLogDirs.isEmpty()) {
            return Optional.empty();
        }
        if (!warned && mixee != null) {
            mixee.commandLine().getErr().println("guardian: warning: --log-dirs is deprecated and will be removed; "
                    + "name the log dirs with --logdir DIR, once per log dir (or log.dirs in --config).");
            mixee.commandLine().getErr().flush();
        }
        warned = true;
        return Optional.of(String.join(",",
                deprecatedLogDirs.stream().map(d -> d.toAbsolutePath().normalize().toString()).toList()));
    }

    /**
     * True when --logdir picks among log dirs the configuration names (--broker-config, log.dirs or
     * the deprecated --log-dirs); false when it names them, or was not given.
     */
    public boolean picksLogDirs() {
        if (requestedLogDirs().isEmpty()) {
            return false;
        }
        try {
            return knowsLogDirs(baseConfig(new HashMap<>()));
        } catch (RuntimeException e) {
            return brokerConfig != null || (deprecatedLogDirs != null && !deprecatedLogDirs.isEmpty());
        }
    }

    /**
     * These options as given, paths made absolute, for a command printed to be run next (prestart's
     * drop command) so that it reaches the same broker and cluster. --logdir is repeated only where it
     * names the broker's log dirs (nothing else does): where it picks, the printed command picks its
     * own.
     */
    public String asArguments() {
        StringBuilder out = new StringBuilder();
        if (config != null) {
            out.append(" --config ").append(config.toAbsolutePath());
        }
        if (brokerConfig != null) {
            out.append(" --broker-config ").append(brokerConfig.toAbsolutePath());
        }
        if (bootstrapServer != null) {
            out.append(" --bootstrap-server ").append(bootstrapServer);
        }
        if (commandConfig != null) {
            out.append(" --command-config ").append(commandConfig.toAbsolutePath());
        }
        if (deprecatedLogDirs != null && !deprecatedLogDirs.isEmpty()) {
            deprecatedLogDirs.forEach(d -> out.append(" --logdir ").append(d.toAbsolutePath().normalize()));
        } else if (!picksLogDirs()) { // --logdir names the log dirs (or was not given): repeat it
            requestedLogDirs().forEach(d -> out.append(" --logdir ").append(d));
        }
        return out.toString().trim();
    }

    /**
     * The validated configuration: the --config file plus these options. --logdir becomes
     * {@code log.dirs} only when neither the file nor a broker config names the log dirs.
     */
    public GuardianConfig config(Map<String, Object> extra) {
        Map<String, Object> overrides = new HashMap<>(extra);
        GuardianConfig base = baseConfig(overrides);
        List<Path> requested = requestedLogDirs();
        if (requested.isEmpty() || knowsLogDirs(base)) {
            return base;
        }
        overrides.put(GuardianConfig.LOG_DIRS, String.join(",", requested.stream().map(Path::toString).toList()));
        return load(overrides);
    }

    /** The configuration with every option but --logdir, adding them to {@code overrides}. */
    private GuardianConfig baseConfig(Map<String, Object> overrides) {
        if (brokerConfig != null) {
            overrides.put(GuardianConfig.BROKER_CONFIG, brokerConfig.toString());
        }
        if (bootstrapServer != null) {
            overrides.put(GuardianConfig.BOOTSTRAP_SERVERS, bootstrapServer);
        }
        if (commandConfig != null) {
            overrides.put(GuardianConfig.COMMAND_CONFIG, commandConfig.toString());
        }
        deprecatedLogDirsValue().ifPresent(v -> overrides.put(GuardianConfig.LOG_DIRS, v));
        return load(overrides);
    }

    private GuardianConfig load(Map<String, Object> overrides) {
        return config == null ? GuardianConfig.of(overrides) : GuardianConfig.load(config, overrides);
    }

    /** True when the configuration names the broker's log dirs itself, so that --logdir picks among them. */
    static boolean knowsLogDirs(GuardianConfig config) {
        return !config.getString(GuardianConfig.BROKER_CONFIG).isBlank()
                || config.getList(GuardianConfig.LOG_DIRS).stream().anyMatch(s -> !s.isBlank());
    }

    /** The settings for a command that works on every log dir of the broker: a --logdir subset is exit 2. */
    public GuardianSettings settings() {
        return settings(Map.of());
    }

    public GuardianSettings settings(Map<String, Object> extra) {
        return whole(SettingsResolver.resolve(config(extra)));
    }

    /** The settings for a command that acts on the log dirs {@link #requestedLogDirs()} picks (all when empty). */
    public GuardianSettings settingsForSubset() {
        return SettingsResolver.resolve(config(Map.of()));
    }

    /**
     * Refuses --logdir values that pick fewer than all of the broker's log dirs, or others, for a
     * command that works on every one of them.
     */
    public GuardianSettings whole(GuardianSettings settings) {
        List<Path> requested = requestedLogDirs();
        if (requested.isEmpty() || Set.copyOf(requested).equals(Set.copyOf(normalized(settings.logDirs())))) {
            return settings;
        }
        String command = mixee == null ? "this command" : "guardian " + mixee.qualifiedName(" ").replaceFirst("^guardian ", "");
        throw new InvalidConfigException(String.join(" ", requested.stream().map(d -> "--logdir " + d).toList())
                + ": " + command + " works on every log dir of the broker (" + String.join(", ",
                settings.logDirs().stream().map(Path::toString).toList()) + "), taken from "
                + (brokerConfig != null ? "--broker-config" : "the configuration") + "; --logdir picks log dirs only in "
                + SUBSET_COMMANDS + ". Leave --logdir out.");
    }

    private static List<Path> normalized(List<Path> dirs) {
        List<Path> out = new ArrayList<>();
        dirs.forEach(d -> out.add(d.toAbsolutePath().normalize()));
        return out;
    }
}
