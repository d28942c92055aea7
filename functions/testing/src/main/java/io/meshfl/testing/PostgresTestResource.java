package io.meshfl.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus application's default datasource (reactive client and the JDBC URL Flyway uses) at the
 * shared embedded PostgreSQL.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password(),
                "quarkus.datasource.reactive.url", db.reactiveUrl(),
                "quarkus.datasource.jdbc.url", db.jdbcUrl());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; stopped by a shutdown hook.
    }
}
