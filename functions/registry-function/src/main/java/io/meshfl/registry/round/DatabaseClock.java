package io.meshfl.registry.round;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * The one clock the registry judges deadlines and leases by: the database server's. Registry replicas (and the
 * functions calling them) run on machines whose clocks disagree; the database is the one place they all share, so a
 * lease granted by one replica and checked by another is measured on one clock. Chosen over an injected
 * {@code java.time.Clock} because that clock would still be each replica's own; tests move a round's deadline or
 * lease in the database instead of moving time.
 *
 * <p>{@code clock_timestamp()}, not {@code now()}: {@code now()} is the transaction's start, which may lie a lock
 * wait in the past.
 */
@ApplicationScoped
public class DatabaseClock {

    /** The database's current time, read in the caller's session (and transaction, if any). */
    public Uni<OffsetDateTime> now() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT clock_timestamp()", OffsetDateTime.class)
                .getSingleResult());
    }
}
