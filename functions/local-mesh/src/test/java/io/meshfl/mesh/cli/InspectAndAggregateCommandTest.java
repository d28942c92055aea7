package io.meshfl.mesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectAndAggregateCommandTest {

    static final ModelManifest MANIFEST = new ModelManifest(List.of(TensorSpec.of("w", Dtype.F32, 2), TensorSpec.of("b", Dtype.F32, 1)));
    static final DomainKeyPair KEYS = DomainKeyPair.generate();

    @TempDir
    Path dir;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void resetStreams() {
        out = new StringWriter();
        err = new StringWriter();
    }

    int run(String... args) {
        CommandLine cli = new CommandLine(new io.meshfl.mesh.MeshflCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    Path update(String name, long examples, float[] w, float[] b) throws IOException {
        Path file = dir.resolve(name);
        new UpdateWriter(KEYS.signer()).write(file, new ModelWeights(MANIFEST, List.of(w, b)),
                UpdateMetadata.unsigned("mlp", name, 1, examples, "{\"loss\":0.5}"));
        return file;
    }

    Path global(float[] w, float[] b) throws IOException {
        Path file = dir.resolve("global.safetensors");
        new ModelWeights(MANIFEST, List.of(w, b)).write(file, Map.of());
        return file;
    }

    @Test
    void inspectListsTensorsMetadataParameterCountAndNorm() throws IOException {
        Path file = update("sales", 7, new float[] {3f, 0f}, new float[] {4f});

        int status = run("inspect", file.toString());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("num_examples = 7", "domain = sales", "parameters: 3",
                "L2 norm (floating tensors): 5.0").containsPattern("w\\s+F32\\s+\\[2\\]\\s+2\\s+norm 3.0");
    }

    @Test
    void inspectOfACorruptFileFailsNamingTheProblem() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {5, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'a', '"', ':'});

        assertThat(run("inspect", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("meshfl inspect: not a valid safetensors file:", "header is not valid JSON");
        assertThat(run("inspect", dir.resolve("missing.safetensors").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file:");
    }

    @Test
    void aggregateWeighsInputsByTheirNumExamplesMetadata() throws IOException {
        Path a = update("a", 1, new float[] {2f, 0f}, new float[] {1f});
        Path b = update("b", 3, new float[] {6f, 4f}, new float[] {1f});
        Path output = dir.resolve("out.safetensors");

        int status = run("aggregate", "--strategy", "fedavg", "--out", output.toString(), a.toString(), b.toString());

        assertThat(status).as(err.toString()).isZero();
        ModelWeights result = ModelWeights.read(output);
        assertThat(result.tensor("w")).containsExactly(5f, 3f);
        assertThat(result.tensor("b")).containsExactly(1f);
        assertThat(out.toString()).contains("2 updates aggregated with fedavg", "examples: 4");
    }

    @Test
    void aggregateWithServerStateNeedsTheGlobalModelAndWritesTheState() throws IOException {
        Path a = update("a", 1, new float[] {2f, 0f}, new float[] {1f});
        Path output = dir.resolve("out.safetensors");
        Path state = dir.resolve("state.safetensors");

        assertThat(run("aggregate", "--strategy", "fedadam", "--out", output.toString(), a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("strategy 'fedadam' needs the round's global model: add --global FILE");

        int status = run("aggregate", "--strategy", "fedadam", "-P", "serverLearningRate=0.5", "--global",
                global(new float[] {0f, 0f}, new float[] {1f}).toString(), "--state-out", state.toString(),
                "--out", output.toString(), a.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(ServerStateFile.read(state).vectors()).containsKeys("m", "v");
    }

    @Test
    void aggregateRefusesBadInputsAndWritesNothing() throws IOException {
        Path good = update("good", 1, new float[] {1f, 1f}, new float[] {1f});
        Path altered = update("altered", 1, new float[] {1f, 1f}, new float[] {1f});
        byte[] bytes = Files.readAllBytes(altered);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(altered, bytes);
        Path output = dir.resolve("out.safetensors");

        int status = run("aggregate", "--strategy", "median", "--out", output.toString(), good.toString(), altered.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("meshfl aggregate: rejected", "altered", "sha256 of the tensor data");
        assertThat(output).doesNotExist();
    }

    @Test
    void aggregateNamesUnknownStrategiesAndBadParameters() throws IOException {
        Path a = update("a", 1, new float[] {1f, 1f}, new float[] {1f});
        String output = dir.resolve("out.safetensors").toString();

        assertThat(run("aggregate", "--strategy", "fedsgd", "--out", output, a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("unknown strategy 'fedsgd'");
        assertThat(run("aggregate", "--strategy", "trimmed-mean", "-P", "beta=0.7", "--out", output, a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("parameter 'beta' of strategy 'trimmed-mean' must be in [0, 0.5), was 0.7");
        assertThat(run("aggregate", "--strategy", "krum", "--out", output, a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("krum with byzantine=0 needs more than 2 updates, got 1");
    }
}
