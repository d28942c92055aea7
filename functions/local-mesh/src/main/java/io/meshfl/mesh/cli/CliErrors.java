package io.meshfl.mesh.cli;

import picocli.CommandLine.Model.CommandSpec;

/** How subcommands report a failure the user caused: one line on stderr naming the command, exit status 1. */
final class CliErrors {

    static final int BAD_INPUT = 1;

    private CliErrors() {
    }

    static int fail(CommandSpec spec, String message) {
        spec.commandLine().getErr().println("meshfl " + spec.name() + ": " + message);
        spec.commandLine().getErr().flush();
        return BAD_INPUT;
    }
}
