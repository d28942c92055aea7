package io.meshfl.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent implementation: fixtures written by hand with numpy
 * (src/test/resources/interop/make_fixtures.py) are read bit-exactly, and files MeshFL writes are read back by
 * a numpy reader (read_safetensors.py) where python3 and numpy exist.
 */
class SafetensorsInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void readsTheNumpyWrittenFixtureBitExactly() throws Exception {
        JsonNode expected = JSON.readTree(resource("mixed.expected.json").toFile());

        try (SafetensorsReader reader = SafetensorsReader.open(resource("mixed.safetensors"))) {
            assertThat(reader.metadata()).isEqualTo(
                    Map.of("source", "numpy", "note", expected.get("metadata").get("note").textValue()));
            assertThat(reader.manifest().names()).containsExactlyElementsOf(
                    List.of("layer.weight", "counters", "half", "brain", "double", "scalar", "empty"));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("tensors").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                TensorInfo tensor = reader.tensor(entry.getKey());
                assertThat(tensor.dtype().name()).isEqualTo(entry.getValue().get("dtype").textValue());
                assertThat(tensor.spec().shape()).isEqualTo(longs(entry.getValue().get("shape")));
                assertThat(bits(reader.readFloats(entry.getKey())))
                        .as(entry.getKey()).isEqualTo(longs(entry.getValue().get("bits")));
            }
            assertThat(reader.readLongs("counters")).containsExactly(0, -7, (1L << 53) + 1, Long.MAX_VALUE);
        }
    }

    @Test
    void numpyReaderReadsWhatMeshflWritesBitExactly() throws Exception {
        assumeTrue(pythonWithNumpy(), "python3 with numpy is not installed: interop read-back skipped");
        // Prepare
        Path file = dir.resolve("written.safetensors");
        float[] f32 = {1.5f, -0.0f, Float.MIN_VALUE, 3.4e38f, -1e-3f, 7f};
        float[] lowPrecision = {0.1f, -2.5f, 65504f, 1e-7f, 3.14159265f};
        List<TensorSpec> layout = List.of(TensorSpec.of("w", Dtype.F32, 2, 3), TensorSpec.of("h", Dtype.F16, 5),
                TensorSpec.of("b", Dtype.BF16, 5), TensorSpec.of("d", Dtype.F64, 5), TensorSpec.of("n", Dtype.I64, 2));
        // Execute
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, Map.of("model", "mlp", "ünï", "✓"))) {
            writer.writeFloats("w", 3, f32, 3, 3); // out of order on purpose: positional writes
            writer.writeFloats("w", 0, f32, 0, 3);
            writer.writeFloats("h", lowPrecision);
            writer.writeFloats("b", lowPrecision);
            writer.writeFloats("d", lowPrecision);
            writer.writeLongs("n", new long[] {-1, Long.MIN_VALUE});
            writer.finish();
        }
        JsonNode read = JSON.readTree(runPython("read_safetensors.py", file.toString()));
        // Assert
        assertThat(read.get("header_length").asLong() % 8).isZero();
        assertThat(read.get("metadata").get("ünï").textValue()).isEqualTo("✓");
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String name : List.of("w", "h", "b", "d")) {
                assertThat(longs(read.get("tensors").get(name).get("bits")))
                        .as(name).isEqualTo(bits(reader.readFloats(name)));
            }
        }
        assertThat(longs(read.get("tensors").get("w").get("bits"))).isEqualTo(bits(f32));
        assertThat(longs(read.get("tensors").get("d").get("bits"))).isEqualTo(bits(lowPrecision));
        assertThat(longs(read.get("tensors").get("n").get("values"))).containsExactly(-1L, Long.MIN_VALUE);
    }

    @Test
    void f16AndBf16EncodingMatchesNumpyRoundToNearestEven() throws Exception {
        assumeTrue(pythonWithNumpy(), "python3 with numpy is not installed: conversion cross-check skipped");
        // Prepare: values on and around half-precision rounding boundaries
        float[] values = new float[2000];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 24));
        }
        values[0] = 65519.99f;
        values[1] = 65520f;
        values[2] = 0x1p-25f;
        values[3] = 0x1.8p-25f;
        Path file = dir.resolve("halves.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of("h", Dtype.F16, values.length), TensorSpec.of("f", Dtype.F32, values.length)), Map.of())) {
            writer.writeFloats("h", values);
            writer.writeFloats("f", values);
            writer.finish();
        }
        // Execute: numpy converts the float32 copy itself
        String script = "import numpy as np,sys,json,warnings;warnings.simplefilter('ignore');d=open(sys.argv[1],'rb').read();import struct;"
                + "n=struct.unpack('<Q',d[:8])[0];h=json.loads(d[8:8+n]);b=d[8+n:];o=h['f']['data_offsets'];"
                + "f=np.frombuffer(b[o[0]:o[1]],dtype='<f4');print(json.dumps([int(x) for x in f.astype('<f2').view('<u2')]))";
        JsonNode numpyHalves = JSON.readTree(runPythonCode(script, file.toString()));
        // Assert
        SafetensorsFiles.Parts parts = SafetensorsFiles.split(file);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(parts.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            assertThat(data.getShort(i * 2) & 0xffff).as("value %s", values[i]).isEqualTo(numpyHalves.get(i).asInt());
        }
    }

    static boolean pythonWithNumpy() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SafetensorsInteropTest.class.getResource("/interop/" + name).toURI());
    }

    private static String runPython(String script, String argument) throws Exception {
        return run(List.of("python3", resource(script).toString(), argument));
    }

    private static String runPythonCode(String code, String argument) throws Exception {
        return run(List.of("python3", "-c", code, argument));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream stdout = process.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of %s", command).isZero();
        return out;
    }

    private static List<Long> bits(float[] values) {
        List<Long> bits = new ArrayList<>();
        for (float value : values) {
            bits.add(Integer.toUnsignedLong(Float.floatToRawIntBits(value)));
        }
        return bits;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }
}
