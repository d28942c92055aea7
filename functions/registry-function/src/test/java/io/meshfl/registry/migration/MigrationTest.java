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
    void roundsOpenedBeforeParticipationExpectEveryDomainEnrolledInTheirModel() throws Exception {
        // Prepare: a registry at V3 with a model, two enrolled domains and an open round
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        String database = "v3_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + database;
        Flyway.configure().dataSource(url, db.user(), db.password()).locations("classpath:db/migration")
                .target("3").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, db.user(), db.password())) {
            connection.createStatement().execute("""
                    INSERT INTO domain (id, name, owner) VALUES ('b', 'B', 'o'), ('a', 'A', 'o');
                    INSERT INTO data_product (id, domain_id, name, version, status, format, location, schema_columns,
                        label_column, purposes, descriptor, descriptor_media_type)
                      VALUES ('pa', 'a', 'P', '1', 'active', 'csv', 's3://x/a', '[]', 'y', '[]', '', 'x'),
                             ('pb', 'b', 'P', '1', 'active', 'csv', 's3://x/b', '[]', 'y', '[]', '', 'x');
                    INSERT INTO model (id, purpose, architecture, strategy, policy, training)
                      VALUES ('m', 'p', '{}', '{}', '{}', '{}');
                    INSERT INTO enrolment (model_id, domain_id, data_product_id) VALUES ('m', 'b', 'pb'), ('m', 'a', 'pa');
                    INSERT INTO round (model_id, number, state, global_model_key, opened_at, deadline)
                      VALUES ('m', 1, 'OPEN', 'k', now(), now())""");
        }

        // Execute
        Flyway.configure().dataSource(url, db.user(), db.password()).locations("classpath:db/migration").load()
                .migrate();

        // Assert
        try (Connection connection = DriverManager.getConnection(url, db.user(), db.password());
             var rows = connection.createStatement().executeQuery("SELECT expected_domains FROM round")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("[\"a\", \"b\"]");
        }
    }

    @Test
    void runningApplicationsMigrationsAgainChangesNothing() {
        assertThat(applicationFlyway.migrate().migrationsExecuted).isZero();
        assertThat(applicationFlyway.info().pending()).isEmpty();
    }
}
