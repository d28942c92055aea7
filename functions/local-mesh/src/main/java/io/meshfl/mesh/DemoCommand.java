package io.meshfl.mesh;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a whole federated Data Mesh on this machine. */
@Command(name = "demo", description = "Run a federated Data Mesh on this machine (not implemented yet).")
class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println(
                "meshfl demo is not implemented yet: the local mesh arrives with its own issue. "
                        + "Run the tests with: mvn -B -ntp verify");
        return 2;
    }
}
