package io.meshfl.mesh.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL, started twice on the same directory: what a resumed demo relies on. */
class LocalDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void whatWasStoredSurvivesARestartOnTheSameDirectory() throws Exception {
        try (LocalDatabase database = LocalDatabase.start(dir)) {
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE federation (name text)");
                statement.execute("INSERT INTO federation VALUES ('kept')");
            }
        }

        try (LocalDatabase database = LocalDatabase.start(dir);
             Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM federation")) {
            assertThat(database.reactiveUrl()).startsWith("postgresql://127.0.0.1:");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("kept");
        }
    }
}
