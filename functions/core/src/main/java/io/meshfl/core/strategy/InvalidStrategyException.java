package io.meshfl.core.strategy;

/**
 * A model definition names a strategy that does not exist or gives it a bad parameter. {@link #field()} is the
 * JSON path of the offending value ({@code strategy.name} or {@code strategy.params.beta}), for the registry's
 * problem responses.
 */
public final class InvalidStrategyException extends CannotAggregate {

    private final String field;

    public InvalidStrategyException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
