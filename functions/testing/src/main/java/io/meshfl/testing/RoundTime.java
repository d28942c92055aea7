package io.meshfl.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Lets time pass for one round without sleeping: the registry judges deadlines and leases on its database's clock,
 * so a test moves the round's deadline or lease to just before that clock's now, in the registry's database
 * ({@link RegistryProcess#jdbcUrl()}, or the shared server's database for the registry's own tests).
 */
public final class RoundTime {

    private RoundTime() {
    }

    /** The round's deadline has passed. */
    public static void pastDeadline(String jdbcUrl, long roundId) {
        execute(jdbcUrl, "UPDATE round SET deadline = clock_timestamp() - interval '1 second' WHERE id = ?", roundId);
    }

    /** The lease of the AGGREGATING round's holder has run out. */
    public static void leaseExpired(String jdbcUrl, long roundId) {
        leaseEndsIn(jdbcUrl, roundId, Duration.ofSeconds(-1));
    }

    /** The AGGREGATING round's lease ends {@code fromNow} after the database's now (negative: it has ended). */
    public static void leaseEndsIn(String jdbcUrl, long roundId, Duration fromNow) {
        execute(jdbcUrl, "UPDATE round SET lease_until = clock_timestamp() + make_interval(secs => "
                + fromNow.toSeconds() + ") WHERE id = ? AND state = 'AGGREGATING'", roundId);
    }

    private static void execute(String jdbcUrl, String sql, long roundId) {
        EmbeddedPostgresServer.Endpoint server = EmbeddedPostgresServer.shared();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, server.user(), server.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, roundId);
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("No round " + roundId + " to change with: " + sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot move time for round " + roundId, e);
        }
    }
}
