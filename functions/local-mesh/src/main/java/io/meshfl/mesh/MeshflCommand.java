package io.meshfl.mesh;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line every user and script reaches through {@code ./meshfl}. */
@Command(name = "meshfl",
        mixinStandardHelpOptions = true,
        versionProvider = MeshflVersion.class,
        description = "Federated learning for a Data Mesh.",
        subcommands = {DemoCommand.class, io.meshfl.mesh.cli.InspectCommand.class, io.meshfl.mesh.cli.AggregateCommand.class,
            io.meshfl.mesh.cli.DomainCredentialsCommand.class, io.meshfl.mesh.simulate.SimulateAggregationCommand.class})
public class MeshflCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new MeshflCommand());
    }
}
