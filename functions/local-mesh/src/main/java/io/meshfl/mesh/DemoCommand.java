package io.meshfl.mesh;

import io.meshfl.mesh.demo.DemoOptions;
import io.meshfl.mesh.demo.DemoRun;
import io.meshfl.mesh.vertical.VerticalDemo;
import io.meshfl.mesh.vertical.VerticalOptions;
import java.util.ArrayList;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a whole federated Data Mesh on this machine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a federated Data Mesh on this machine: embedded PostgreSQL and S3, the registry, the",
            "aggregation and training functions, N domains with non-IID data products, R federated rounds; then",
            "compare the federated model with each domain alone and with centralised training.",
            "Writes DATA_DIR/summary.json and DATA_DIR/report.html."})
class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DemoOptions options;

    @Mixin
    VerticalOptions vertical;

    /** Vertical mode's domain count when --domains is not given: three, as in the work MeshFL grows from. */
    private static final int VERTICAL_DEFAULT_DOMAINS = 3;
    /**
     * Vertical mode's most passes (split rounds) when --rounds is not given; every model stops earlier, --patience
     * passes after its best validation loss. At a fixed 30 the single-domain baselines were often still improving at
     * their last pass (validation loss, functions/vertical/README.md "Accuracy"), which flatters split.
     */
    private static final int VERTICAL_DEFAULT_PASSES = 60;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = new ArrayList<>(options.problems());
        problems.addAll(vertical.problems());
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("meshfl demo: " + problem));
            return 2;
        }
        if (vertical.vertical()) {
            int domains = spec.commandLine().getParseResult().hasMatchedOption("--domains") ? options.domains()
                    : VERTICAL_DEFAULT_DOMAINS;
            int passes = spec.commandLine().getParseResult().hasMatchedOption("--rounds") ? options.rounds()
                    : VERTICAL_DEFAULT_PASSES;
            return new VerticalDemo(options, vertical, domains, passes, spec.commandLine().getOut()).call();
        }
        return new DemoRun(options, spec.commandLine().getOut(), err).call();
    }
}
