package io.meshfl.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class SafetensorsCodecProperties {

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("safetensors-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 100)
    void f32TensorsRoundTripBitExactlyInChunksOfAnySize(@ForAll("tensors") List<float[]> tensors,
                                                        @ForAll @IntRange(min = 1, max = 50) int chunk,
                                                        @ForAll Map<@net.jqwik.api.constraints.AlphaChars @Size(min = 1, max = 8) String, String> metadata)
            throws IOException {
        Path file = dir.resolve("roundtrip.safetensors");
        List<TensorSpec> layout = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            layout.add(TensorSpec.of("t" + i, Dtype.F32, tensors.get(i).length));
        }
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, layout, metadata)) {
            for (int i = 0; i < tensors.size(); i++) {
                float[] values = tensors.get(i);
                for (int from = 0; from < values.length; from += chunk) {
                    writer.writeFloats("t" + i, from, values, from, Math.min(chunk, values.length - from));
                }
            }
            writer.finish();
        }
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.metadata()).isEqualTo(metadata);
            for (int i = 0; i < tensors.size(); i++) {
                float[] read = reader.readFloats("t" + i);
                assertThat(read.length).isEqualTo(tensors.get(i).length);
                for (int j = 0; j < read.length; j++) {
                    assertThat(Float.floatToRawIntBits(read[j])).isEqualTo(Float.floatToRawIntBits(tensors.get(i)[j]));
                }
            }
        }
    }

    @Provide
    Arbitrary<List<float[]>> tensors() {
        Arbitrary<Float> anyFloat = Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)
                .map(Float::intBitsToFloat);
        return anyFloat.array(float[].class).ofMaxSize(200).list().ofMinSize(1).ofMaxSize(5);
    }

    @Example
    void everyNonNanHalfSurvivesHalfToFloatToHalf() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short half = (short) bits;
            float value = HalfPrecision.f16ToFloat(half);
            if (!Float.isNaN(value)) {
                assertThat(HalfPrecision.floatToF16(value)).as("half bits %04x", bits).isEqualTo(half);
            }
            float brain = HalfPrecision.bf16ToFloat(half);
            if (!Float.isNaN(brain)) {
                assertThat(HalfPrecision.floatToBf16(brain)).as("bf16 bits %04x", bits).isEqualTo(half);
            }
        }
    }

    @Property
    void halfRoundingPicksTheNearestRepresentableHalf(@ForAll float value) {
        if (Float.isNaN(value) || Math.abs(value) >= 65504f) {
            return;
        }
        float rounded = HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(value));
        short bits = HalfPrecision.floatToF16(value);
        float below = HalfPrecision.f16ToFloat((short) (bits - (value >= 0 ? 1 : -1)));
        float above = HalfPrecision.f16ToFloat((short) (bits + (value >= 0 ? 1 : -1)));
        double error = Math.abs((double) rounded - value);
        if (!Float.isNaN(below)) {
            assertThat(error).isLessThanOrEqualTo(Math.abs((double) below - value));
        }
        if (!Float.isInfinite(above) && !Float.isNaN(above)) {
            assertThat(error).isLessThanOrEqualTo(Math.abs((double) above - value));
        }
    }
}
