package io.archiveguardian.guardian.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}, shared by every command that prints a result (a picocli mixin). */
public final class OutputOption {

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OutputFormat format;

    boolean json() {
        return format == OutputFormat.json;
    }

    boolean text() {
        return format == OutputFormat.text;
    }
}
