package io.meshfl.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret kept in a file, as Kubernetes mounts a Secret's key: the content without surrounding whitespace. */
final class SecretFile {

    private SecretFile() {
    }

    static String read(String setting, String path) {
        try {
            String content = Files.readString(Path.of(path)).strip();
            if (content.isEmpty()) {
                throw new IllegalArgumentException(setting + " names " + path + ", which is empty");
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(setting + " names " + path + ", which cannot be read: " + e, e);
        }
    }
}
