package io.meshfl.training.vertical;

/**
 * Stored input of a vertical model that this deployment cannot use (settings that fail their schema, a party's rows
 * that are not the CSV they should be): a user's error, named, not retried (the same event would fail the same way).
 */
public final class VerticalRefusal extends RuntimeException {

    VerticalRefusal(String message) {
        super(message);
    }

    VerticalRefusal(String message, Throwable cause) {
        super(message, cause);
    }
}
