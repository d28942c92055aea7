package io.meshfl.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reader refuses every file of the shared corpus, naming what is wrong; the committed corpus is current. */
class RefusedSafetensorsCorpusTest {

    @TempDir
    Path dir;

    static Stream<RefusedSafetensorsCorpus.Case> cases() {
        return RefusedSafetensorsCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyFileOfTheCorpusIsRefusedWithItsReason(RefusedSafetensorsCorpus.Case refused) {
        Path file = RefusedSafetensorsCorpus.DIRECTORY.resolve(refused.file());

        assertThatThrownBy(() -> SafetensorsReader.open(file).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(refused.reason());
    }

    @Test
    void theCommittedCorpusIsWhatTheGeneratorWrites() throws IOException {
        RefusedSafetensorsCorpus.main(new String[] {dir.toString()});

        for (RefusedSafetensorsCorpus.Case refused : RefusedSafetensorsCorpus.cases()) {
            assertThat(RefusedSafetensorsCorpus.DIRECTORY.resolve(refused.file())).as(refused.file())
                    .hasBinaryContent(Files.readAllBytes(dir.resolve(refused.file())));
        }
        assertThat(RefusedSafetensorsCorpus.DIRECTORY.resolve("refusals.tsv"))
                .hasContent(Files.readString(dir.resolve("refusals.tsv")));
    }

    @Test
    void theValidNeighbourOfTheCorpusIsAcceptedWithSpacePadding() throws IOException {
        // Prepare: the corpus' valid header, padded with spaces as the format's writers do
        byte[] header = (RefusedSafetensorsCorpus.VALID + "       ").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("ok.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(RefusedSafetensorsCorpus.DATA).array());

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("w")).containsExactly(1f, 2f);
            assertThat(reader.metadata()).containsEntry("num_examples", "5");
        }
    }

    @Test
    void aHeaderLengthAboveTheFormatsLimitIsRefusedClearlyWhateverTheCallerAllows() throws IOException {
        // Issue 14: --max-header-bytes 4294967296 made the (int) cast negative and the reader died with a stack trace
        for (long declared : List.of(4_294_967_296L, 100_000_001L, Long.MAX_VALUE)) {
            Path file = dir.resolve("huge.safetensors");
            Files.write(file, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(declared).array());

            assertThatThrownBy(() -> SafetensorsReader.open(file, Long.MAX_VALUE).close())
                    .as("declared %d", declared)
                    .isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageContaining("header length " + declared + " exceeds 100000000 bytes");
        }
    }
}
