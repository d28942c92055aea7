package io.meshfl.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("bad.safetensors");
    }

    private void assertRejected(String headerJson, byte[] data, String... messageParts) throws IOException {
        SafetensorsFiles.join(file(), headerJson, data);
        assertThatThrownBy(() -> SafetensorsReader.open(file()).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void writerAlignsTheHeaderAndReaderReturnsWhatWasWritten() throws IOException {
        Path file = dir.resolve("ok.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                List.of(TensorSpec.of("a", Dtype.F32, 2), TensorSpec.of("b", Dtype.F32)), Map.of("k", "v"))) {
            writer.writeFloats("a", new float[] {1f, 2f});
            writer.writeFloats("b", new float[] {3f});
            writer.finish();
        }
        long headerLength = Files.size(file) - 12;
        assertThat((8 + headerLength) % 8).isZero();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("a")).containsExactly(1f, 2f);
            assertThat(reader.readFloats("b")).containsExactly(3f);
            assertThat(reader.metadata()).containsExactly(Map.entry("k", "v"));
            assertThat(reader.manifest().parameterCount()).isEqualTo(3);
        }
    }

    @Test
    void writerRefusesToFinishWithAnIncompleteTensorAndLeavesNoFile() throws IOException {
        Path file = dir.resolve("partial.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(TensorSpec.of("a", Dtype.F32, 4)), Map.of())) {
            writer.writeFloats("a", 0, new float[] {1f, 2f}, 0, 2);
            assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tensor 'a': 2 of 4 elements written");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void fileShorterThanTheLengthFieldIsRejected() throws IOException {
        Files.write(file(), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.open(file())).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("too short for the 8-byte header length");
    }

    @Test
    void headerLongerThanTheLimitIsRejectedBeforeReadingIt() throws IOException {
        SafetensorsFiles.join(file(), "{}" + " ".repeat(1022), new byte[0]);
        assertThatThrownBy(() -> SafetensorsReader.open(file(), 1000)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length 1024 exceeds the limit of 1000 bytes");
    }

    @Test
    void headerLengthPastTheEndOfTheFileIsRejectedAsTruncated() throws IOException {
        SafetensorsFiles.join(file(), "{}      ", new byte[0]);
        SafetensorsFiles.setDeclaredHeaderLength(file(), 4096);
        assertThatThrownBy(() -> SafetensorsReader.open(file())).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("does not fit in a file of 16 bytes (truncated?)");
    }

    @Test
    void corruptHeadersAreRejectedNamingTheProblem() throws IOException {
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"sha", new byte[0], "header is not valid JSON");
        assertRejected("[1, 2]  ", new byte[0], "header must start with '{', starts with '['");
        assertRejected("{\"a\": 5}", new byte[0], "tensor 'a' is not a JSON object");
        assertRejected("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4], "tensor 'a' has no dtype");
        assertRejected("{\"a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 4]}}", new byte[4],
                "tensor 'a' has unsupported dtype 'U8'");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", new byte[4],
                "tensor 'a' shape holds '-1'");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", new byte[4],
                "tensor 'a' shape holds '1.5'");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", new byte[4],
                "tensor 'a' data_offsets must have 2 entries");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", new byte[4],
                "tensor 'a' data_offsets span 4 bytes but dtype F32 and shape [2] need 8");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}",
                new byte[4], "tensor 'a' shape [4294967296, 4294967296] is invalid or too large");
        assertRejected("{\"__metadata__\": {\"k\": 1}}", new byte[0], "__metadata__ value of 'k' is not a string");
        assertRejected("{\"__metadata__\": [\"k\"]}", new byte[0], "__metadata__ is not a JSON object");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4], "Duplicate field 'a'");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", new byte[4],
                "tensor 'a' data_offsets end 0 is before begin 4");
    }

    @Test
    void overlappingGappedOrOutOfRangeOffsetsAreRejectedNamingTheTensor() throws IOException {
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", new byte[12],
                "tensor 'b' data_offsets [4, 12) overlap the previous tensor ending at 8");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", new byte[12],
                "tensor 'b' data_offsets begin at 8, leaving a gap after byte 4");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", new byte[12],
                "tensor 'a' data_offsets end 16 is past the end of the data section (12 bytes)");
        assertRejected("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[8],
                "data section is 8 bytes but the tensors cover 4");
    }

    @Test
    void readerTurnsAFileTruncatedAfterOpeningIntoAFormatErrorNamingTheTensor() throws IOException {
        Path file = dir.resolve("shrinks.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(TensorSpec.of("w", Dtype.F32, 1000)), Map.of())) {
            writer.writeFloats("w", new float[1000]);
            writer.finish();
        }
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(100);
            }
            assertThatThrownBy(() -> reader.readFloats("w")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("file ended while reading tensor 'w'");
        }
    }

    @Test
    void finishWithLongerMetadataThanReservedIsABugReportedClearly() throws IOException {
        Path file = dir.resolve("meta.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(TensorSpec.of("w", Dtype.F32, 1)), Map.of("k", "x"))) {
            writer.writeFloats("w", new float[] {1f});
            assertThatThrownBy(() -> writer.finish(sha -> Map.of("k", "x".repeat(100))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("use longer placeholders");
        }
    }

    @Test
    void finishReplacesPlaceholderMetadataWithTheDataHash() throws IOException {
        Path file = dir.resolve("sealed.safetensors");
        String sha;
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(TensorSpec.of("w", Dtype.F32, 3)),
                Map.of("sha256", "0".repeat(64)))) {
            writer.writeFloats("w", new float[] {1f, 2f, 3f});
            sha = writer.finish(hash -> Map.of("sha256", hash));
        }
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.metadata()).containsEntry("sha256", sha);
            assertThat(reader.dataSha256()).isEqualTo(sha);
        }
    }
}
