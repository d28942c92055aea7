package io.meshfl.runtime.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A bearer token kept in a file that its owner renews (a projected Kubernetes service-account token, the local mesh's
 * short-lived function token): read again whenever the file's modification time or size changes, so a function never
 * calls with a token that expired after it started.
 *
 * <p>A file that is briefly empty or unreadable while being replaced keeps the last token read; one that never had a
 * token is an error naming the file.
 */
final class TokenFile implements Supplier<String> {

    private static final Logger LOG = Logger.getLogger(TokenFile.class);

    private final Path file;
    private FileTime readModified;
    private long readSize = -1;
    private String token;

    TokenFile(Path file) {
        this.file = file;
    }

    @Override
    public synchronized String get() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (token == null || !modified.equals(readModified) || size != readSize) {
                String read = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!read.isEmpty()) {
                    token = read;
                    readModified = modified;
                    readSize = size;
                }
            }
        } catch (IOException e) {
            if (token == null) {
                throw new IllegalStateException("Cannot read the registry token file " + file + ": " + e, e);
            }
            LOG.warnf("Cannot read the registry token file %s (%s); calling with the token read before", file, e);
        }
        if (token == null) {
            throw new IllegalStateException("The registry token file " + file + " is empty");
        }
        return token;
    }
}
