package io.meshfl.runtime.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void aRenewedTokenIsReadAtTheNextCall() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first.token.x\n");
        TokenFile tokens = new TokenFile(file);
        assertThat(tokens.get()).isEqualTo("first.token.x");

        Files.writeString(file, "second.token.y\n");
        // The same size: only the modification time tells the renewal apart.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(tokens.get()).isEqualTo("second.token.y");
    }

    @Test
    void aFileEmptiedOrRemovedWhileBeingReplacedKeepsTheLastToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first.token.x\n");
        TokenFile tokens = new TokenFile(file);
        tokens.get();

        Files.writeString(file, "");
        assertThat(tokens.get()).isEqualTo("first.token.x");
        Files.delete(file);
        assertThat(tokens.get()).isEqualTo("first.token.x");
    }

    @Test
    void aFileThatNeverHeldATokenIsAnErrorNamingIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");

        assertThatThrownBy(() -> new TokenFile(empty).get()).hasMessageContaining(empty.toString())
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> new TokenFile(dir.resolve("missing")).get()).hasMessageContaining("missing");
    }
}
