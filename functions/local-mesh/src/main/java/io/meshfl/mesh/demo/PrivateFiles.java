package io.meshfl.mesh.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories of the data directory that hold secrets (the root S3 secret, token and signing keys, tokens):
 * readable by their owner only, from the moment they exist, also where an earlier version created them more open.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and missing parents) and makes it 0700. */
    static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attribute(OWNER_DIRECTORY));
            }
            restrict(dir, OWNER_DIRECTORY);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the private directory " + dir, e);
        }
    }

    /** Writes {@code content} to a file that is 0600 before the first byte is written. */
    static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                directory(parent);
            }
            if (Files.exists(file)) {
                restrict(file, OWNER_FILE);
            } else {
                Files.createFile(file, attribute(OWNER_FILE));
            }
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Replaces {@code file} in one step with a 0600 file holding {@code content}: a reader sees the old content or the
     * new, never a half-written or empty file.
     */
    static void replace(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                directory(parent);
            }
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp", attribute(OWNER_FILE));
            try {
                Files.writeString(temporary, content, StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + file, e);
        }
    }

    /** Tightens an existing file or directory; a file system without POSIX permissions keeps its own rules. */
    static void restrict(Path path, Set<PosixFilePermission> permissions) {
        try {
            if (Files.exists(path) && supportsPosix(path)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions of " + path, e);
        }
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
