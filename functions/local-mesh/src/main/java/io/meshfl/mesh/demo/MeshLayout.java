package io.meshfl.mesh.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the local mesh keeps everything, under one data directory ({@code ./.meshfl} by default): the database,
 * the object store's files, the token keys, each domain's signing key and data product, logs and the reports.
 * Keys and data never leave this directory, which is ignored by git.
 */
public record MeshLayout(Path root) {

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path objects() {
        return root.resolve("objects");
    }

    /** The federation's token issuer keys (RSA), read by the registry to verify tokens. */
    public Path keys() {
        return root.resolve("keys");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path domain(String domain) {
        return root.resolve("domains").resolve(domain);
    }

    public Path domains() {
        return root.resolve("domains");
    }

    /** Settings of the first run (credentials, dataset, seed) that a resumed run must reuse. */
    public Path state() {
        return root.resolve("mesh.properties");
    }

    /** The governance's registry token for the operator's own API calls (0600; never printed). */
    public Path governanceToken() {
        return keys().resolve("governance.token");
    }

    /**
     * The aggregation function's registry token (0600), renewed by the mesh while it runs; the function reads it again
     * whenever it changes (MESHFL_REGISTRY_TOKEN_FILE).
     */
    public Path functionToken() {
        return keys().resolve("function.token");
    }

    /**
     * Creates the data directory and the directories that hold keys as 0700 (tightening them if an earlier run made
     * them more open), and the state file 0600: nothing in here is for other users of the machine.
     */
    public void createPrivately(java.util.List<String> domains) {
        PrivateFiles.directory(root);
        PrivateFiles.directory(keys());
        PrivateFiles.directory(domains());
        domains.forEach(domain -> PrivateFiles.directory(domain(domain)));
        PrivateFiles.restrict(state(), PrivateFiles.OWNER_FILE);
        PrivateFiles.restrict(keys().resolve(io.meshfl.auth.LocalTokenIssuer.PRIVATE_KEY_FILE), PrivateFiles.OWNER_FILE);
        PrivateFiles.restrict(governanceToken(), PrivateFiles.OWNER_FILE);
    }

    /** The rounds run so far, across resumed runs. */
    public Path roundLog() {
        return root.resolve("rounds.jsonl");
    }

    /** The round log of one of several models run side by side ({@code --aggregation compare}). */
    public Path roundLog(String model) {
        return root.resolve("rounds-" + model + ".jsonl");
    }

    public Path summaryJson() {
        return root.resolve("summary.json");
    }

    public Path reportHtml() {
        return root.resolve("report.html");
    }

    public Path work(String name) {
        return root.resolve("work").resolve(name);
    }

    /** Deletes the whole data directory (for --fresh); refuses anything that does not look like one. */
    public void wipe() {
        if (!Files.exists(root)) {
            return;
        }
        if (!Files.exists(state()) && !Files.exists(postgres()) && !Files.exists(objects())) {
            throw new IllegalStateException("--fresh refuses to delete " + root + ": it does not look like a MeshFL data"
                    + " directory (no mesh.properties, postgres/ or objects/ in it)");
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot wipe " + root + " (is a mesh still running on it?)", e);
        }
    }
}
