package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.clusterview.ClusterViewClient;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.observe.DropFacts;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --sidecar URL|none} for the commands that plan a drop on a host ({@code drop},
 * {@code drop-candidates}, prestart's plan): the cluster view they plan with, so that the copies
 * the sidecar's advice does not rely on (on a silent sidecar's broker, on a critical disk) are not
 * relied on where data is deleted either. By default this host's sidecar, at its {@code http.listen};
 * a sidecar that does not answer leaves the plan without a view, which the plan says (it never
 * blocks a drop: the sidecar is often down in the incident the drop is for).
 */
public final class SidecarViewOption {

    static final String NONE = "none";

    /** How long a plan waits for the sidecar's view (it may forward to another sidecar) before planning without. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--sidecar", paramLabel = "URL|none",
            description = "The sidecar whose cluster view the plan follows (copies on brokers whose sidecar is silent, or on "
                    + "critical disks, are not relied on): default this host's, at http.listen (unless cluster.view.enabled="
                    + "false); 'none' plans with Kafka's answers only.")
    String sidecar;

    /** Checks the value before anything is done (exit 2 naming it). */
    void validate() {
        if (sidecar != null && !NONE.equals(sidecar.trim().toLowerCase(Locale.ROOT)) && !isUrl(sidecar)) {
            throw new GuardianException(ExitCodes.USAGE, "--sidecar " + sidecar + " is neither a URL nor 'none': give "
                    + "http://HOST:PORT of a sidecar, e.g. http://127.0.0.1:9797, or 'none' to plan without a cluster view.");
        }
    }

    /** Whether a --sidecar value is a sidecar's URL (http:// or https://), as here and in {@code guardian cluster}. */
    static boolean isUrl(String value) {
        String v = value.trim();
        return v.startsWith("http://") || v.startsWith("https://");
    }

    /** " --sidecar URL" when given, for a printed drop command to plan with the same view; else "". */
    String asArguments() {
        return sidecar == null ? "" : " --sidecar " + sidecar.trim();
    }

    /** The facts to plan with for {@code broker}, asking the sidecar within {@code timeout}. */
    ClusterFacts facts(GuardianSettings settings, int broker, Duration timeout) {
        validate();
        String url;
        if (sidecar != null) {
            if (NONE.equals(sidecar.trim().toLowerCase(Locale.ROOT))) {
                return ClusterFacts.none("--sidecar none: no cluster view was consulted");
            }
            url = sidecar.trim();
        } else if (!settings.config().getBoolean(GuardianConfig.CLUSTER_VIEW_ENABLED)) {
            return ClusterFacts.none("cluster.view.enabled=false: no cluster view was consulted");
        } else {
            url = ClusterViewClient.localSidecar(settings.config());
        }
        ClusterViewClient client = new ClusterViewClient(url, timeout);
        try {
            return DropFacts.forHost(client.fetch(), broker, client.baseUrl());
        } catch (ClusterViewClient.ViewUnavailableException e) {
            return ClusterFacts.none("no cluster view (" + e.getMessage() + ")");
        }
    }
}
