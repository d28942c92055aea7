package io.meshfl.core.strategy;

/**
 * The round's updates cannot make a new global model, and no retry will change that. Callers catch this type (and
 * only this type) to fail a round for good; any other exception from a strategy is a bug or broken infrastructure
 * and is worth a retry.
 *
 * <p>The kinds are closed: {@link TooFewUpdates}, {@link StateMismatch}, {@link ExampleCountOverflow},
 * {@link UpdateChanged} (an accepted update's object was replaced),
 * {@link PrivacyBudgetExceededException} (the model's (ε, δ) budget is spent) and {@link InvalidStrategyException}
 * (the model's strategy settings).
 */
public abstract sealed class CannotAggregate extends RuntimeException
        permits CannotAggregate.TooFewUpdates, CannotAggregate.StateMismatch, CannotAggregate.ExampleCountOverflow,
        CannotAggregate.UpdateChanged, PrivacyBudgetExceededException, InvalidStrategyException {

    protected CannotAggregate(String message) {
        super(message);
    }

    /** The strategy needs more updates than the round has (none at all, or fewer than a robust bound needs). */
    public static final class TooFewUpdates extends CannotAggregate {

        public TooFewUpdates(String message) {
            super(message);
        }
    }

    /** The stored server state belongs to another strategy or another model shape. */
    public static final class StateMismatch extends CannotAggregate {

        public StateMismatch(String message) {
            super(message);
        }
    }

    /**
     * An accepted update's object is no longer the version the registry recorded (its writer replaced it after the
     * round closed): what was validated and counted is gone, so the round cannot be aggregated from it.
     */
    public static final class UpdateChanged extends CannotAggregate {

        public UpdateChanged(String message) {
            super(message);
        }
    }

    /** The updates' example counts sum past {@code Long.MAX_VALUE}: no weighting of them is meaningful. */
    public static final class ExampleCountOverflow extends CannotAggregate {

        public ExampleCountOverflow(String message) {
            super(message);
        }
    }
}
