package io.meshfl.registry.round;

import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

/** Recognises a write that lost a race with another transaction (and is worth one more try). */
public final class ConcurrentWrite {

    private static final String UNIQUE_VIOLATION = "23505";

    private ConcurrentWrite() {
    }

    public static boolean detected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StaleStateException || t instanceof OptimisticLockException
                    || t instanceof ConstraintViolationException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
