package io.meshfl.mesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

    /** The global model the updates claim as their base: no --global, or --global with this file's data. */
    String base = "0".repeat(64);

    Path update(String name, long examples, float[] w, float[] b) throws IOException {
        Path file = dir.resolve(name);
        new UpdateWriter(KEYS.signer()).write(file, new ModelWeights(MANIFEST, List.of(w, b)),
                UpdateMetadata.unsigned("mlp", name, 1, base, examples, "{\"loss\":0.5}"));
        return file;
    }

    /** A plain safetensors file as PyTorch or Flower users write one: only num_examples in __metadata__. */
    Path plain(String name, Map<String, String> metadata, float[] w, float[] b) throws IOException {
        Path file = dir.resolve(name);
        new ModelWeights(MANIFEST, List.of(w, b)).write(file, metadata);
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

        Path global = global(new float[] {0f, 0f}, new float[] {1f});
        try (var reader = io.meshfl.core.safetensors.SafetensorsReader.open(global)) {
            base = reader.dataSha256();
        }
        a = update("a", 1, new float[] {2f, 0f}, new float[] {1f});
        int status = run("aggregate", "--strategy", "fedadam", "-P", "serverLearningRate=0.5", "--global",
                global.toString(), "--state-out", state.toString(), "--out", output.toString(), a.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(ServerStateFile.read(state).vectors()).containsKeys("m", "v");
    }

    /** Removes one {@code __metadata__} entry, keeping everything else. */
    static void removeMetadata(Path file, String key) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long length = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var header = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                new String(bytes, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8));
        ((com.fasterxml.jackson.databind.node.ObjectNode) header.get("__metadata__")).remove(key);
        byte[] text = json.writeValueAsBytes(header);
        byte[] data = java.util.Arrays.copyOfRange(bytes, 8 + (int) length, bytes.length);
        Files.write(file, java.nio.ByteBuffer.allocate(8 + text.length + data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(text.length).put(text).put(data).array());
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

    @Test
    void aggregateOfPlainSafetensorsFilesWithOnlyNumExamplesGivesTheWeightedMean() throws IOException {
        // Prepare: as PyTorch/Flower users save them; weights 10, 30, 60 of 100
        Path a = plain("a.safetensors", Map.of("num_examples", "10"), new float[] {1f, 2f}, new float[] {0.5f});
        Path b = plain("b.safetensors", Map.of("num_examples", "30"), new float[] {5f, -2f}, new float[] {1.5f});
        Path c = plain("c.safetensors", Map.of("num_examples", "60", "format", "pt"), new float[] {0f, 0.25f},
                new float[] {3f});
        Path output = dir.resolve("out.safetensors");

        int status = run("aggregate", "--strategy", "fedavg", "--out", output.toString(), a.toString(), b.toString(),
                c.toString());

        // Assert: numpy.average(..., weights=[10, 30, 60], axis=0) by hand:
        // w = (10·1 + 30·5 + 60·0, 10·2 − 30·2 + 60·0.25) / 100 = (1.6, −0.25); b = (5 + 45 + 180) / 100 = 2.3
        assertThat(status).as(err.toString()).isZero();
        ModelWeights result = ModelWeights.read(output);
        assertThat(result.tensor("w")).containsExactly(1.6f, -0.25f);
        assertThat(result.tensor("b")).containsExactly(2.3f);
        assertThat(out.toString()).contains("3 updates aggregated with fedavg", "examples: 100");
    }

    /** The acceptance's words taken literally: numpy itself computes the weighted mean the command must give. */
    @Test
    void aggregateOfPlainFilesGivesWhatNumpysWeightedAverageGives() throws Exception {
        // Prepare: three PyTorch-style files (w: 16x8, b: 8) of seeded random values, weighted 17, 250 and 3
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("w", Dtype.F32, 16, 8),
                TensorSpec.of("b", Dtype.F32, 8)));
        SplittableRandom random = new SplittableRandom(12);
        long[] examples = {17, 250, 3};
        List<String> arguments = new ArrayList<>(List.of("aggregate", "--strategy", "fedavg", "--out",
                dir.resolve("out.safetensors").toString()));
        for (int k = 0; k < examples.length; k++) {
            Path file = dir.resolve("client-" + k + ".safetensors");
            List<float[]> values = new ArrayList<>();
            for (TensorSpec tensor : manifest.tensors()) {
                float[] tensorValues = new float[(int) tensor.elementCount()];
                for (int i = 0; i < tensorValues.length; i++) {
                    tensorValues[i] = (float) (random.nextGaussian() * 3);
                }
                values.add(tensorValues);
            }
            new ModelWeights(manifest, values).write(file, Map.of("num_examples", Long.toString(examples[k])));
            arguments.add(file.toString());
        }

        // Execute: the command, then numpy on the same files
        int status = run(arguments.toArray(String[]::new));
        Map<String, float[]> numpy = numpyWeightedAverage(arguments.subList(5, arguments.size()), examples);

        // Assert: equal to the last float bit but for the order of double-precision rounding (one float ulp)
        assertThat(status).as(err.toString()).isZero();
        ModelWeights result = ModelWeights.read(dir.resolve("out.safetensors"));
        for (TensorSpec tensor : manifest.tensors()) {
            float[] expected = numpy.get(tensor.name());
            float[] actual = result.tensor(tensor.name());
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", tensor.name(), i)
                        .isCloseTo(expected[i], within(Math.ulp(expected[i])));
            }
        }
    }

    /**
     * {@code numpy.average(stack, axis=0, weights=examples)} per tensor, numpy reading the files by the safetensors
     * layout itself (8-byte header length, JSON header, little-endian data). Skipped where python3 has no numpy
     * (CI installs python3-numpy).
     */
    private static Map<String, float[]> numpyWeightedAverage(List<String> files, long[] examples) throws Exception {
        String script = """
                import json, sys
                import numpy as np
                files, weights = sys.argv[1].split(","), [int(w) for w in sys.argv[2].split(",")]
                tensors = {}
                for path in files:
                    data = open(path, "rb").read()
                    n = int.from_bytes(data[:8], "little")
                    header = json.loads(data[8:8 + n])
                    for name, info in header.items():
                        if name != "__metadata__":
                            start, end = info["data_offsets"]
                            tensors.setdefault(name, []).append(np.frombuffer(data[8 + n + start:8 + n + end], "<f4"))
                mean = {name: np.average(np.stack(a), axis=0, weights=weights).astype(np.float32).tolist()
                        for name, a in tensors.items()}
                print(json.dumps(mean))
                """;
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", script, String.join(",", files),
                    String.join(",", Arrays.stream(examples).mapToObj(Long::toString).toList())).start();
        } catch (IOException noPython) {
            assumeTrue(false, "no python3 here: " + noPython.getMessage());
            throw noPython;
        }
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String error = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(python.waitFor() == 0 || !error.contains("No module named 'numpy'"), "python3 has no numpy");
        assertThat(python.exitValue()).as(error).isZero();
        Map<String, float[]> mean = new java.util.HashMap<>();
        new ObjectMapper().readTree(output).fields().forEachRemaining(entry -> {
            float[] values = new float[entry.getValue().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) entry.getValue().get(i).asDouble();
            }
            mean.put(entry.getKey(), values);
        });
        return mean;
    }

    @Test
    void plainFilesNeedAPositiveNumExamplesAndStrictRequiresMeshflMetadata() throws IOException {
        Path ok = plain("ok.safetensors", Map.of("num_examples", "10"), new float[] {1f, 2f}, new float[] {0.5f});
        Path none = plain("none.safetensors", Map.of(), new float[] {1f, 2f}, new float[] {0.5f});
        Path zero = plain("zero.safetensors", Map.of("num_examples", "0"), new float[] {1f, 2f}, new float[] {0.5f});
        String output = dir.resolve("out.safetensors").toString();

        assertThat(run("aggregate", "--strategy", "fedavg", "--out", output, ok.toString(), none.toString(),
                zero.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("none.safetensors: metadata: __metadata__ has no 'num_examples'",
                "zero.safetensors: metadata: num_examples must be positive, was 0");
        assertThat(run("aggregate", "--strict", "--strategy", "fedavg", "--out", output, ok.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("ok.safetensors: metadata: __metadata__ holds no MeshFL update metadata");
        assertThat(Path.of(output)).doesNotExist();
    }

    @Test
    void meshflMetadataAmongPlainFilesIsStillCheckedInFull() throws IOException {
        Path plain = plain("plain.safetensors", Map.of("num_examples", "10"), new float[] {1f, 2f}, new float[] {0.5f});
        Path update = update("sales", 5, new float[] {1f, 1f}, new float[] {1f});
        // a MeshFL update with its signature stripped is not a plain file
        removeMetadata(update, "signature");
        String output = dir.resolve("out.safetensors").toString();

        assertThat(run("aggregate", "--strategy", "fedavg", "--out", output, plain.toString(), update.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("sales: metadata: __metadata__ has no 'signature'");
    }

    @Test
    void aggregateRefusesAnOutputThatIsOneOfItsInputsAndTouchesNothing() throws IOException {
        // Issue 14: aggregate --out a.safetensors a.safetensors b.safetensors truncated its own input
        Path a = update("a.safetensors", 1, new float[] {2f, 0f}, new float[] {1f});
        Path b = update("b.safetensors", 3, new float[] {6f, 4f}, new float[] {1f});
        byte[] before = Files.readAllBytes(a);
        Path viaLink = dir.resolve("link.safetensors");
        Files.createSymbolicLink(viaLink, a);

        Files.createDirectories(dir.resolve("sub"));
        for (Path output : List.of(a, dir.resolve("sub/../a.safetensors"), viaLink)) {
            assertThat(run("aggregate", "--strategy", "fedavg", "--out", output.toString(), a.toString(),
                    b.toString())).as(output.toString()).isEqualTo(1);
            assertThat(err.toString()).contains("--out " + output + " is the input " + a,
                    "refusing to overwrite an input");
        }
        assertThat(Files.readAllBytes(a)).isEqualTo(before);
    }

    @Test
    void everyFileOfTheSharedRefusedCorpusIsRefusedByInspectAndAggregate() throws IOException {
        Path corpus = Path.of("../core/src/test/resources/safetensors-refused");
        List<String> lines = Files.readAllLines(corpus.resolve("refusals.tsv"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            String[] fields = line.split("\t", 2);
            Path file = corpus.resolve(fields[0]);
            resetStreams();

            assertThat(run("inspect", file.toString())).as(fields[0]).isEqualTo(1);
            assertThat(run("aggregate", "--strategy", "fedavg", "--out", dir.resolve("out.safetensors").toString(),
                    file.toString())).as(fields[0]).isEqualTo(1);

            assertThat(err.toString()).as(fields[0]).contains("meshfl inspect: not a valid safetensors file:",
                    "meshfl aggregate: not a valid safetensors file:", fields[1]);
        }
    }

    @Test
    void inspectWithAHugeHeaderLimitRefusesAHugeHeaderClearly() throws IOException {
        // Issue 14: --max-header-bytes 4294967296 on a large declared header died with "capacity < 0"
        Path file = dir.resolve("huge.safetensors");
        Files.write(file, java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(3_000_000_000L).array());

        assertThat(run("inspect", "--max-header-bytes", "4294967296", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("header length 3000000000 exceeds 100000000 bytes")
                .doesNotContain("capacity");
    }
}
