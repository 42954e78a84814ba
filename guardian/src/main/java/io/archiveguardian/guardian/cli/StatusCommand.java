package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.Observation;
import io.archiveguardian.guardian.sidecar.Observer;
import io.archiveguardian.guardian.sidecar.StatusReport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"One observation pass, printed: each log dir, the filesystem under it and the",
                "broker state. Needs no running sidecar and changes nothing."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GuardianSettings settings = options.settings();
        Observation observation = new Observer(settings, Clock.systemUTC()).observe();
        var out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(Json.writePretty(new StatusReport(StatusReport.version(), observation, List.of(), null, null, List.of())));
        } else {
            out.print(StatusText.render(observation));
        }
        out.flush();
        return 0;
    }
}
