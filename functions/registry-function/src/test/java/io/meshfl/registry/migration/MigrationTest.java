package io.meshfl.registry.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.registry.TokenTestResource;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The registry's migrations build the schema from nothing and find nothing to do a second time. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class MigrationTest {

    @Inject
    Flyway applicationFlyway;

    @Test
    void migrationsRunFromAnEmptyDatabaseAndAreIdempotent() throws Exception {
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        String database = "empty_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + database;
        Flyway flyway = Flyway.configure().dataSource(url, db.user(), db.password())
                .locations("classpath:db/migration").load();

        MigrateResult first = flyway.migrate();
        MigrateResult second = flyway.migrate();

        assertThat(first.migrationsExecuted).isEqualTo(flyway.info().applied().length).isGreaterThanOrEqualTo(2);
        assertThat(second.migrationsExecuted).isZero();
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void runningApplicationsMigrationsAgainChangesNothing() {
        assertThat(applicationFlyway.migrate().migrationsExecuted).isZero();
        assertThat(applicationFlyway.info().pending()).isEmpty();
    }
}
