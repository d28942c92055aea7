package io.meshfl.mesh.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The registry's PostgreSQL: a real server from zonky's embedded binaries (no Docker, no system install) on a
 * loopback port. Its data directory lives under the mesh's data directory and survives restarts, so a second
 * run resumes from the federation's stored state; {@code initdb} only runs when the directory is new.
 */
public final class LocalDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private LocalDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with its data in {@code dir}/data (created at first start) and its binaries in {@code dir}/runtime. */
    public static LocalDatabase start(Path dir) {
        try {
            Path runtime = Files.createDirectories(dir.resolve("runtime"));
            Path data = dir.resolve("data");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(runtime.toFile())
                    .setDataDirectory(data.toFile())
                    .setCleanDataDirectory(false)
                    .start();
            return new LocalDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + dir
                    + " (is another mesh using this --data-dir?)", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return "postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
    }

    /** The URL the registry's reactive (Vert.x) PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://" + host() + ":" + port() + "/" + database();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
        }
    }
}
