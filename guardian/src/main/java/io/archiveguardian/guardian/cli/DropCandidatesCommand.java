package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.replicas.ByteSizeConverter;
import io.archiveguardian.guardian.replicas.DropAdvisor;
import io.archiveguardian.guardian.replicas.DropCandidates;
import io.archiveguardian.guardian.replicas.DropJson;
import io.archiveguardian.guardian.replicas.DropText;
import io.archiveguardian.guardian.replicas.LocalTarget;
import io.archiveguardian.guardian.cluster.AdminClients;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drop-candidates", mixinStandardHelpOptions = true,
        description = "Lists the replicas on a log dir with a verdict each (safe to drop or not, and why), "
                + "ranked to free a given amount. Changes nothing. See docs/drop.md.")
final class DropCandidatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--logdir", paramLabel = "DIR",
            description = "A log dir of this broker to free space on (repeatable; default: all of them).")
    List<Path> logDirs;

    @Option(names = "--need", paramLabel = "SIZE", defaultValue = "0", converter = ByteSizeConverter.class,
            description = "Bytes to free: a number, or with K, M, G or T (powers of 1024), e.g. 20G. Default: ${DEFAULT-VALUE}.")
    long need;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        GuardianSettings settings = options.settings();
        LocalTarget target = LocalTarget.resolve(settings, logDirs);
        DropCandidates candidates;
        try (Admin admin = AdminClients.create(settings)) {
            candidates = new DropAdvisor(admin, settings.adminTimeout(), Clock.systemUTC()).withLocalDiskBytes()
                    .candidates(target.broker(), target.logDirs(), need);
        }
        var out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(DropJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(DropJson.candidates(candidates)));
        } else {
            out.print(DropText.candidates(candidates));
        }
        out.flush();
        return 0;
    }
}
