package io.archiveguardian.guardian.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Generates {@code docs/configuration.md} from {@link GuardianConfig#DEFINITION}. Run
 * {@code main} with the output path to regenerate; {@code ConfigDocsTest} fails when the committed
 * file differs.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("<!-- Generated from GuardianConfig by ConfigDocs; do not edit by hand. Regenerate with:\n")
                .append("     ./mvnw -q -pl guardian -am test -Dtest=ConfigDocsTest -Dguardian.docs.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false -->\n\n")
                .append("The guardian reads one properties file, given with `--config FILE`. Every key is listed here;\n")
                .append("an unknown key is an error (exit code 2), not ignored. Command-line options that mirror a key\n")
                .append("(`--broker-config`, `--bootstrap-server`, `--command-config`, `--http-listen`)\n")
                .append("have the same meaning and win over the file. `--logdir DIR` (repeat it for several) is the one\n")
                .append("option for \"which log dirs\": when `--broker-config` or `log.dirs` names the broker's log dirs, it\n")
                .append("picks among them for the commands that act on some (`drop`, `drop-candidates`, `ballast`,\n")
                .append("`cordon`; the other commands cover every log dir and refuse a subset, exit code 2); otherwise it\n")
                .append("names them. The old `--log-dirs DIR,DIR` still names them, with a warning; it will be removed.\n\n")
                .append("Durations are written as Kafka writes them: milliseconds in keys ending `.ms`; command-line\n")
                .append("options take a unit (`--outage 2h`, `--sample 10s`: ms, s, m, h or d), never a bare number.\n")
                .append("Sizes in keys ending `.bytes` are bytes, as in Kafka. Size keys and options (`reserve.size`,\n")
                .append("`reserve.first.tier.size`, `--size`, `--need`, `need=` over HTTP) share one\n")
                .append("syntax: bytes (`20000000000`, `20000000000B`) or a number with a binary unit K, M, G, T or P,\n")
                .append("decimals allowed (`512M`, `1.5G`, `20GiB`); a percentage (`5%`) only where it means a share of\n")
                .append("the filesystem (`reserve.size`, `reserve.first.tier.size`, `--size`). More than 2^63-1 bytes is\n")
                .append("refused (exit code 2).\n\n")
                .append("Secrets need not be written inline. Kafka's config providers work in this file for every key, and in\n")
                .append("the file `command.config` names (so `sasl.jaas.config` can come from a mounted secret), declared as in a\n")
                .append("broker's server.properties:\n\n")
                .append("```\n")
                .append("config.providers=file,dir,env\n")
                .append("config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n")
                .append("config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n")
                .append("config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n")
                .append("http.token=${dir:/etc/kafka-guardian-secret:http-token}\n")
                .append("bootstrap.servers=${env:KAFKA_BOOTSTRAP}\n")
                .append("```\n\n")
                .append("A secret that cannot be read is a configuration error (exit code 2) naming it. `http.token.file` reads the\n")
                .append("token from a file as well (a Kubernetes Secret or a systemd credential).\n\n")
                .append("| Key | Type | Default | Valid values | Importance | Description |\n")
                .append("|---|---|---|---|---|---|\n");
        List<ConfigDef.ConfigKey> keys = List.copyOf(GuardianConfig.DEFINITION.configKeys().values());
        for (ConfigDef.ConfigKey key : keys) {
            md.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                    .append(" | ").append(defaultValue(key)).append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase()).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        return md.toString();
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Password) {
            return "(hidden)";
        }
        String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }
}
