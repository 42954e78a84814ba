package io.archiveguardian.guardian.cli;

import picocli.CommandLine;

/**
 * picocli's own {@code generate-completion} command, given the layout of every other command's
 * --help: a one-sentence summary, a paragraph, the options without a heading, the guardian's version.
 */
final class CompletionHelp {

    private CompletionHelp() {
    }

    static void align(CommandLine completion) {
        completion.getCommandSpec().versionProvider(new VersionProvider());
        completion.getCommandSpec().usageMessage()
                .description("Prints the bash/zsh completion script for guardian.",
                        "Load it into the current shell with: source <(guardian generate-completion)")
                .optionListHeading("");
    }
}
