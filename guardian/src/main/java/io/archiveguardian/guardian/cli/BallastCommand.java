package io.archiveguardian.guardian.cli;

import picocli.CommandLine.Command;

@Command(name = "ballast", mixinStandardHelpOptions = true,
        description = "Tiered ballast files that hold real blocks on each data disk.",
        subcommands = {BallastCommand.Status.class, BallastCommand.Arm.class,
                BallastCommand.Release.class, BallastCommand.Rearm.class})
final class BallastCommand {

    @Command(name = "status", description = "Shows each filesystem with its reserve.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("ballast status");
        }
    }

    @Command(name = "arm", description = "Arms or resizes the reserve.")
    static final class Arm implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("ballast arm");
        }
    }

    @Command(name = "release", description = "Releases ballast tiers by hand.")
    static final class Release implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("ballast release");
        }
    }

    @Command(name = "rearm", description = "Restores released tiers when space allows.")
    static final class Rearm implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetImplemented("ballast rearm");
        }
    }
}
