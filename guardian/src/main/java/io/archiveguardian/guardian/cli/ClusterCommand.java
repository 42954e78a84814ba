package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.clusterview.ClusterText;
import io.archiveguardian.guardian.clusterview.ClusterView;
import io.archiveguardian.guardian.clusterview.ClusterViewClient;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Prints the cluster view a running sidecar answers (GET /api/v1/cluster).",
                "Every broker's sidecar (alive, suspect, silent), pressure, space and ballast, cluster "
                        + "totals, and the partitions whose every replica sits on a pressured disk.",
                "Exit code 3 when a sidecar is silent, the view is suspect or stale, or a partition has "
                        + "every replica under pressure; 1 when the sidecar cannot answer."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--sidecar", paramLabel = "URL",
            description = "The sidecar to ask, e.g. http://127.0.0.1:9797 (default: http.listen of --config, "
                    + "else " + GuardianConfig.DEFAULT_HTTP_LISTEN + ").")
    String sidecar;

    @Option(names = "--config", paramLabel = "FILE", description = "The guardian's properties file, for http.listen.")
    java.nio.file.Path config;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterView view;
        try {
            view = new ClusterViewClient(baseUrl(), Duration.ofSeconds(15)).fetch();
        } catch (ClusterViewClient.ViewUnavailableException e) {
            throw new GuardianException(ExitCodes.FAILED, e.getMessage()
                    + (e.unreachable() ? ". Is 'guardian run' running there? Give its address with --sidecar." : ""), e);
        }
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.writePretty(view));
        } else {
            out.print(ClusterText.render(view));
        }
        out.flush();
        return ClusterText.problem(view) ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }

    private String baseUrl() {
        if (sidecar != null) {
            String s = sidecar.trim();
            if (!SidecarViewOption.isUrl(s)) {
                throw new GuardianException(ExitCodes.USAGE, "--sidecar " + sidecar
                        + " is not a URL: give http://HOST:PORT, e.g. http://127.0.0.1:9797.");
            }
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        // the sidecar speaks HTTPS only with a keystore (its certificate must be trusted: GUARDIAN_OPTS=-Djavax.net.ssl.trustStore=...)
        return ClusterViewClient.localSidecar(config == null ? null : GuardianConfig.load(config, Map.of()));
    }
}
