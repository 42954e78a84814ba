package io.archiveguardian.guardian.cli;

/** The values of {@code --output}. */
public enum OutputFormat {
    text, json
}
