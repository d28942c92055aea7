package io.meshfl.mesh.cli;

import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.core.update.UpdateExpectation;
import io.meshfl.core.update.UpdatePolicy;
import io.meshfl.core.update.UpdateValidator;
import io.meshfl.core.update.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshfl aggregate}: validates update files and aggregates them with a named strategy, exactly as the
 * aggregation function does (minus identity and signature checks, which need the registry). Plain safetensors files
 * whose {@code __metadata__} holds only {@code num_examples} (as PyTorch and Flower users write them) are weighted by
 * it; MeshFL update metadata, where present, is checked in full, and {@code --strict} requires it of every input.
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
        description = {"Aggregate safetensors files weighted by their __metadata__ num_examples into a model.",
                "MeshFL update metadata (model, domain, sha256, signature, …) is checked where present; --strict requires it.",
                "Strategies: fedavg, fedavgm, fedadam, fedyogi, fedadagrad, median, trimmed-mean, krum, multi-krum, dp-fedavg."})
public class AggregateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--strategy", required = true, description = "aggregation strategy")
    String strategyName;

    @Option(names = {"-P", "--param"}, paramLabel = "KEY=VALUE",
            description = "strategy parameter, e.g. -P beta=0.1 or -P clipNorm=1 -P noiseMultiplier=1.1")
    Map<String, Double> params = new LinkedHashMap<>();

    @Option(names = "--global", paramLabel = "FILE",
            description = "the round's global model (needed by fedavgm, fedadam, fedyogi, fedadagrad, dp-fedavg and --max-norm)")
    Path global;

    @Option(names = "--state-in", paramLabel = "FILE", description = "server state from the previous round")
    Path stateIn;

    @Option(names = "--state-out", paramLabel = "FILE", description = "where to write the server state for the next round")
    Path stateOut;

    @Option(names = "--max-norm", description = "reject updates whose L2 distance to --global exceeds this")
    Double maxNorm;

    @Option(names = "--strict", description = "require MeshFL update metadata (model, domain, sha256, …) of every input")
    boolean strict;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "the aggregated model (.safetensors)")
    Path out;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "update files")
    List<Path> inputs;

    @Override
    public Integer call() {
        String clash;
        try {
            clash = outputClash();
        } catch (IOException e) {
            return CliErrors.fail(spec, "I/O error: " + e);
        }
        if (clash != null) {
            return CliErrors.fail(spec, clash);
        }
        Strategy strategy;
        try {
            strategy = StrategyFactory.create(strategyName, params);
        } catch (InvalidStrategyException e) {
            return CliErrors.fail(spec, e.getMessage());
        }
        if (global == null && (strategy.readsGlobalModel() || maxNorm != null)) {
            return CliErrors.fail(spec, "strategy '" + strategyName + "'" + (maxNorm != null ? " with --max-norm" : "")
                    + " needs the round's global model: add --global FILE");
        }
        try {
            List<ModelAggregator.UpdateFile> updates = validate(global != null ? global : inputs.get(0));
            if (updates == null) {
                return CliErrors.BAD_INPUT;
            }
            ServerState state = stateIn == null ? ServerState.empty() : ServerStateFile.read(stateIn);
            ModelAggregator.Result result = ModelAggregator.aggregate(strategy, global != null ? global : inputs.get(0),
                    updates, state, out, Map.of("strategy", strategyName));
            if (stateOut != null) {
                ServerStateFile.write(stateOut, result.outcome().state());
            } else if (!result.outcome().state().isEmpty()) {
                spec.commandLine().getErr().println("meshfl aggregate: note: " + strategyName
                        + " has server state for the next round; keep it with --state-out FILE");
            }
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf("%s: %d updates aggregated with %s%n", out, updates.size(), strategyName);
            new TreeMap<>(result.outcome().report()).forEach((key, value) -> stdout.printf("  %s: %s%n", key, value));
            stdout.printf("  sha256 of data: %s%n", result.sha256());
            stdout.flush();
            return 0;
        } catch (SafetensorsFormatException e) {
            return CliErrors.fail(spec, "not a valid safetensors file: " + e.getMessage());
        } catch (NoSuchFileException e) {
            return CliErrors.fail(spec, "no such file: " + e.getFile());
        } catch (CannotAggregate | IllegalArgumentException | IllegalStateException e) {
            return CliErrors.fail(spec, e.getMessage());
        } catch (IOException e) {
            return CliErrors.fail(spec, "I/O error: " + e);
        }
    }

    /**
     * An output that is also an input would be truncated before it is read: refused, naming both, before anything
     * is opened. Paths are compared as the file system resolves them (symbolic links, {@code ..}, hard links).
     */
    private String outputClash() throws IOException {
        List<Path> read = new ArrayList<>(inputs);
        if (global != null) {
            read.add(global);
        }
        if (stateIn != null) {
            read.add(stateIn);
        }
        Map<String, Path> written = new LinkedHashMap<>();
        written.put("--out", out);
        if (stateOut != null) {
            written.put("--state-out", stateOut);
        }
        for (Map.Entry<String, Path> output : written.entrySet()) {
            if (!Files.exists(output.getValue())) {
                continue;
            }
            for (Path input : read) {
                if (Files.exists(input) && Files.isSameFile(output.getValue(), input)) {
                    return output.getKey() + " " + output.getValue() + " is the input " + input
                            + ": refusing to overwrite an input (choose another output file)";
                }
            }
        }
        if (stateOut != null && (Files.exists(out) && Files.exists(stateOut) ? Files.isSameFile(out, stateOut)
                : out.toAbsolutePath().normalize().equals(stateOut.toAbsolutePath().normalize()))) {
            return "--out and --state-out are the same file " + out;
        }
        return null;
    }

    /** Checks every input against the reference model; null (after reporting each rejection) if any is bad. */
    private List<ModelAggregator.UpdateFile> validate(Path reference) throws IOException {
        List<ModelAggregator.UpdateFile> updates = new ArrayList<>();
        boolean allAccepted = true;
        try (SafetensorsReader referenceReader = SafetensorsReader.open(reference)) {
            ModelManifest manifest = referenceReader.manifest();
            UpdateValidator validator = global != null
                    ? new UpdateValidator(referenceReader, maxNorm == null ? UpdatePolicy.unbounded() : UpdatePolicy.withMaxNorm(maxNorm))
                    : new UpdateValidator(manifest, UpdatePolicy.unbounded());
            UpdateExpectation expectation = strict ? UpdateExpectation.anySender() : UpdateExpectation.anySenderOrPlainFile();
            for (Path input : inputs) {
                ValidationResult result = validator.validate(input, expectation);
                if (result instanceof ValidationResult.Accepted accepted) {
                    String id = accepted.metadata() == null ? input.getFileName().toString()
                            : accepted.metadata().domain() + "@" + input.getFileName();
                    updates.add(new ModelAggregator.UpdateFile(id, input, accepted.numExamples()));
                } else if (result instanceof ValidationResult.Rejected rejected) {
                    CliErrors.fail(spec, "rejected " + rejected.reason());
                    allAccepted = false;
                }
            }
        }
        return allAccepted ? updates : null;
    }
}
